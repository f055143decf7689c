import { InvalidOptionError, type ActorRef } from '@troupe/core'
import { ActorRefImpl, resolveRouting, validateRouterSize, type KeyFunction, type RoutingSpec } from '@troupe/core/internal'
import type { SpawnRequest } from '../protocol/control.js'
import { buildSpawnRequest, type SpawnInput } from '../host/spawn-request.js'
import type { ModuleRegistry } from '../host/module-registry.js'
import { ROUTER_EXPORT, ROUTER_MODULE, type RouterArgs } from './router-actor.js'


export interface RouterRequestContext {
  readonly registry: ModuleRegistry
  readonly workerCount: number
  readonly maxMessageBytes: number
  /** Keeps a key function on this thread (the router will be placed here) and names it. */
  registerKeyFunction(keyFunction: KeyFunction): string
}

/**
 * Validates `system.router(...)` on the calling thread, so a bad option fails where it was
 * written, and turns it into the spawn request of a router actor. A pool's routee class and
 * options are checked by building their spawn request once, here, without spawning.
 */
export async function buildRouterRequest(
  context: RouterRequestContext,
  target: unknown,
  options: unknown,
): Promise<{ request: SpawnRequest; args: RouterArgs }> {
  const { spec, hashKey } = resolveRouting(options)
  const routing: RoutingSpec = { ...spec, hashKey: typeof hashKey === 'function' ? { local: context.registerKeyFunction(hashKey) } : hashKey }
  const { name, placement, supervision, size, routee } = options as { name?: unknown; placement?: unknown; supervision?: unknown; size?: unknown; routee?: unknown }

  let args: RouterArgs
  if (Array.isArray(target)) {
    if (size !== undefined) throw new InvalidOptionError('size', 'absent for a group router (it routes to the refs it is given)', size)
    target.forEach((ref: unknown, index) => {
      if (!(ref instanceof ActorRefImpl)) throw new InvalidOptionError(`routees[${index}]`, 'an ActorRef', ref)
    })
    args = { routing, group: target as ActorRef[] }
  } else {
    validateRouterSize(size)
    if (routee !== undefined && (typeof routee !== 'object' || routee === null)) throw new InvalidOptionError('routee', 'an object of spawn options', routee)
    const routeeOptions = (routee ?? {}) as SpawnInput
    if (routeeOptions.name !== undefined) throw new InvalidOptionError('routee.name', 'absent (routees are anonymous; name the router instead)', routeeOptions.name)
    const check = await buildSpawnRequest(context.registry, target, routeeOptions, context.workerCount, context.maxMessageBytes)
    args = { routing, pool: { type: { module: check.module, export: check.export }, size: size as number, options: routeeOptions } }
  }
  const request = await buildSpawnRequest(
    context.registry,
    { module: ROUTER_MODULE, export: ROUTER_EXPORT },
    { name, placement, supervision, args: [args] },
    context.workerCount,
    context.maxMessageBytes,
  )
  return { request, args }
}
