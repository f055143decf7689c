import { InvalidOptionError, SpawnError, isActorClass } from '@troupe/core'
import { checkKnownOptions, checkMessage, encodeValue, isActorTypeRef, resolveAskErrors, resolveDelivery, resolveMailbox, resolvePlacement, resolveReentrancy, resolveRestartType, resolveSupervision } from '@troupe/core/internal'
import type { SpawnRequest, WirePlacement } from '../protocol/control.js'
import { refuseEntity, type ModuleRegistry } from './module-registry.js'
import { sourceModuleHref } from './module-source.js'
import { programEntryHint } from './program-entry.js'

export interface SpawnInput {
  name?: unknown
  placement?: unknown
  args?: unknown
  restart?: unknown
  supervision?: unknown
  mailbox?: unknown
  handlerTimeoutMs?: unknown
  delivery?: unknown
  askErrors?: unknown
  reentrancy?: unknown
}

const SPAWN_OPTIONS = ['name', 'placement', 'args', 'restart', 'supervision', 'mailbox', 'handlerTimeoutMs', 'delivery', 'askErrors', 'reentrancy'] as const satisfies readonly (keyof SpawnInput)[]

/** The spawn options, validated and with their defaults; the placement as given. */
export interface CheckedSpawnOptions {
  readonly name: string | undefined
  readonly placement: unknown
  readonly args: readonly unknown[] | undefined
  readonly restart: SpawnRequest['restart']
  readonly supervision: SpawnRequest['supervision']
  readonly mailbox: SpawnRequest['mailbox']
  readonly handlerTimeoutMs: number | undefined
  readonly delivery: SpawnRequest['delivery']
  readonly askErrors: SpawnRequest['askErrors']
  readonly reentrancy: SpawnRequest['reentrancy']
  /** No option but `args` (and a local placement) was given: every default applies. */
  readonly defaults: boolean
}

/** Validates `spawn` options synchronously, so a bad option fails where it was written. */
export function checkSpawnOptions(options: SpawnInput | undefined): CheckedSpawnOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new InvalidOptionError('options', 'an object', options)
  if (options !== undefined) checkKnownOptions(options, SPAWN_OPTIONS)
  const { name, placement, args, restart, supervision, mailbox, handlerTimeoutMs, delivery, askErrors, reentrancy } = options ?? {}
  if (handlerTimeoutMs !== undefined && !(typeof handlerTimeoutMs === 'number' && Number.isInteger(handlerTimeoutMs) && handlerTimeoutMs >= 1 && handlerTimeoutMs <= 2 ** 31 - 1)) {
    throw new InvalidOptionError('handlerTimeoutMs', 'an integer from 1 to 2147483647', handlerTimeoutMs)
  }
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) throw new InvalidOptionError('name', 'a non-empty string', name)
  if (args !== undefined && !Array.isArray(args)) throw new InvalidOptionError('args', 'an array of constructor arguments', args)
  return {
    name,
    placement,
    args,
    restart: resolveRestartType(restart),
    supervision: resolveSupervision(supervision),
    mailbox: resolveMailbox(mailbox),
    handlerTimeoutMs,
    // Unset stays unset: the system's default applies where the actor is recorded.
    delivery: delivery === undefined ? undefined : resolveDelivery('delivery', delivery, 'at-most-once'),
    askErrors: resolveAskErrors(askErrors),
    reentrancy: resolveReentrancy(reentrancy),
    defaults: name === undefined && restart === undefined && supervision === undefined && mailbox === undefined && handlerTimeoutMs === undefined && delivery === undefined && askErrors === undefined && reentrancy === undefined,
  }
}

/**
 * Validates `spawn` arguments on the calling thread, so a bad option fails where it was written,
 * and turns them into a request the system can act on from any thread.
 */
export async function buildSpawnRequest(
  registry: ModuleRegistry,
  type: unknown,
  options: SpawnInput | undefined,
  workerCount: number,
  maxMessageBytes: number,
): Promise<SpawnRequest> {
  const checked = checkSpawnOptions(options)
  const wirePlacement = toWirePlacement(checked.placement, workerCount)

  let location: { module: string; export: string } | undefined
  if (isActorTypeRef(type)) location = { module: sourceModuleHref(type.module), export: type.export }
  else if (isActorClass(type)) {
    refuseEntity(type, '(class)', type.name)
    location = await registry.locate(type)
    if (!location) throw new SpawnError('(unregistered)', type.name, `the class is not exported by any module file in the system's \`actors\` list${programEntryHint(registry.allowList)}`)
  } else {
    throw new InvalidOptionError('type', 'an Actor subclass or actorType(moduleUrl, exportName)', type)
  }
  return requestAt(location, checked, wirePlacement, maxMessageBytes)
}

/**
 * `buildSpawnRequest` for a class this thread has located already (its modules are indexed):
 * synchronous, so a stream of spawns pays no deadline timer and no promise per spawn for it.
 * `undefined` when the class is not located yet.
 */
export function spawnRequestNow(registry: ModuleRegistry, type: unknown, options: SpawnInput | undefined, workerCount: number, maxMessageBytes: number): SpawnRequest | undefined {
  if (!isActorClass(type)) return undefined
  refuseEntity(type, '(class)', type.name)
  const location = registry.locateNow(type)
  if (location === undefined || location === null) return undefined
  const checked = checkSpawnOptions(options)
  return requestAt(location, checked, toWirePlacement(checked.placement, workerCount), maxMessageBytes)
}

function requestAt(location: { module: string; export: string }, checked: CheckedSpawnOptions, wirePlacement: WirePlacement | undefined, maxMessageBytes: number): SpawnRequest {
  let encodedArgs: Uint8Array | undefined
  const { args } = checked
  if (args !== undefined && args.length > 0) {
    checkMessage(args, maxMessageBytes)
    encodedArgs = encodeValue(args)
  }
  return {
    module: location.module,
    export: location.export,
    name: checked.name,
    placement: wirePlacement,
    args: encodedArgs,
    restart: checked.restart,
    supervision: checked.supervision,
    mailbox: checked.mailbox,
    handlerTimeoutMs: checked.handlerTimeoutMs,
    delivery: checked.delivery,
    askErrors: checked.askErrors,
    reentrancy: checked.reentrancy,
  }
}

function toWirePlacement(placement: unknown, workerCount: number): WirePlacement | undefined {
  const resolved = resolvePlacement(placement, workerCount)
  switch (resolved.kind) {
    // From the main thread (`system.spawn`): `ctx.spawn` creates local children itself.
    case 'local':
      return 'main'
    case 'round-robin':
    case 'least-loaded':
    case 'main':
      return resolved.kind
    case 'worker':
      return { worker: resolved.worker }
    case 'colocate':
      return { colocateWith: { id: resolved.actorId, thread: resolved.thread } }
    case 'hash':
      return { hash: resolved.key }
    case 'node':
      // system.spawn sends these to the node (cluster/remote-spawn.ts); a child cannot live on
      // another node than its parent's, since supervision does not cross nodes.
      throw new InvalidOptionError('placement.node', 'a placement of system.spawn (an actor\'s children live on its own node)', resolved.node)
  }
}
