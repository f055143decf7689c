import { ActorStoppedError, SpawnError, isActorClass, type Actor, type ActorLifecycle } from '@troupe/core'
import { ActorRefImpl, Deque, STOP, creditWindow, isActorTypeRef } from '@troupe/core/internal'
import type { RefInfo } from '../protocol/control.js'
import type { SystemEvent } from '../system/system-events.js'
import { ActorCell } from './actor-cell.js'
import { HostedActorContext } from './actor-context.js'
import type { ActorIds } from './actor-ids.js'
import type { Runnable } from './dispatcher.js'
import { settle } from './envelope.js'
import type { Host } from './host.js'
import type { LocalActors } from './local-actors.js'
import type { LocalBlueprint } from './local-record.js'
import { LocalRecord } from './local-record.js'
import type { LocalTree } from './local-tree.js'
import { messageHandlersOf } from './message-handlers.js'
import { isThenable } from './message-target.js'
import { refuseEntity, type LoadedActorClass, type ModuleRegistry } from './module-registry.js'
import { sourceModuleHref } from './module-source.js'
import { programEntryHint } from './program-entry.js'
import { checkSpawnOptions, type CheckedSpawnOptions, type SpawnInput } from './spawn-request.js'

/** What spawning on this thread needs from it. */
export interface LocalSpawnerDeps {
  readonly host: Host
  readonly ids: ActorIds
  readonly actors: LocalActors
  readonly tree: LocalTree
  readonly registry: ModuleRegistry
  readonly workerCount: number
  /** Registers a local actor's name on the main thread; rejects if it is taken. */
  registerName(info: RefInfo): Promise<void>
  /** Reports a failed start as an event. */
  publish(event: SystemEvent): void
}

/**
 * `ctx.spawn` with a local placement: the child is created on its parent's thread, at once and
 * without the main thread. The options are checked and the id allocated on the spot, so the ref
 * is returned synchronously; the constructor and `onStart` run in a later dispatcher turn (so a
 * tree that spawns itself never runs inside one handler), and messages sent meanwhile wait in
 * the child's mailbox. A failed start sends them to dead letters (`'start-failed'`; asks reject
 * with the `SpawnError`), and reports the failure as an event.
 *
 * The allow-list holds here too: the class must be exported by an allow-listed module. Once this
 * thread has indexed those modules (its first spawn by class does), the check is a map lookup.
 */
export class LocalSpawner implements Runnable {
  scheduled = false
  readonly #deps: LocalSpawnerDeps
  /** Children waiting for their constructor and `onStart`, in spawn order. */
  readonly #starting = new Deque<LocalRecord>(64)
  /** Spawns with default options share one blueprint per class (also while it is being located). */
  readonly #defaults = new WeakMap<object, LocalBlueprint>()
  /** The same, for types given by module URL and export name. */
  readonly #defaultsByName = new Map<string, LocalBlueprint>()

  constructor(deps: LocalSpawnerDeps) {
    this.#deps = deps
  }

  get runnable(): boolean {
    return this.#starting.length > 0
  }

  /** Children waiting to start count as work waiting. */
  get waiting(): number {
    return this.#starting.length
  }

  /** Spawns `type` on this thread as a child of `parent` (an actor of this thread). */
  spawn(parent: ActorCell, type: unknown, options: SpawnInput | undefined): ActorRefImpl {
    // A handler still running after its actor stopped (an async one) cannot leave an orphan behind.
    if (this.#deps.actors.get(parent.id) !== parent) throw new ActorStoppedError(`${parent.self.toString()} (the parent)`)
    // Most spawns give no option but `args`: they skip the checks and share their class's blueprint.
    const checked = defaultsOnly(options) ? undefined : checkSpawnOptions(options)
    const blueprint = this.#blueprint(type, checked)
    const name = checked?.name
    const { host, ids, actors, tree } = this.#deps
    const id = ids.allocate()
    const self = new ActorRefImpl(id, host.thread, name, host, undefined, creditWindow(blueprint.mailbox, this.#deps.workerCount + 1), host.node)
    const args = options?.args as readonly unknown[] | undefined
    const record = new LocalRecord(id, parent.id, name, blueprint, args === undefined || args.length === 0 ? NO_ARGS : args)
    if (blueprint.actorClass !== undefined && name === undefined) {
      const cell = this.#cell(record, self, parent.self, blueprint.actorClass)
      tree.add(record, cell)
      actors.add(cell)
      this.#starting.push(record)
      host.dispatcher.schedule(this)
    } else {
      tree.add(record)
      actors.expect(id)
      void this.#startLater(record, self, parent.self, type)
    }
    return self
  }

  /** Starts the children spawned since the last turn (a dispatcher turn runs this). */
  run(budget: number): number {
    let started = 0
    while (started < budget) {
      const record = this.#starting.shift()
      if (record === undefined) break
      const cell = this.#deps.actors.get(record.id)
      if (cell !== undefined) this.#start(record, cell, undefined)
      started++
    }
    return started
  }

  /** A `permanent` child that stopped itself: a fresh instance under the same id, started now. */
  async recreate(record: LocalRecord, cause: Error): Promise<void> {
    const { host, actors } = this.#deps
    const parent = actors.get(record.parent)
    const self = new ActorRefImpl(record.id, host.thread, record.name, host, undefined, creditWindow(record.blueprint.mailbox, this.#deps.workerCount + 1), host.node)
    const cell = this.#cell(record, self, parent?.self ?? host.refTo(record.parent, host.thread), record.blueprint.actorClass!)
    this.#deps.tree.attach(record, cell)
    actors.add(cell)
    await this.#start(record, cell, cause)
  }

  #blueprint(type: unknown, checked: CheckedSpawnOptions | undefined): LocalBlueprint {
    const { registry } = this.#deps
    const options = checked ?? DEFAULT_OPTIONS
    if (isActorClass(type)) {
      refuseEntity(type, '(class)', type.name)
      const location = registry.locateNow(type)
      if (location === null) {
        throw new SpawnError('(unregistered)', type.name, `the class is not exported by any module file in the system's \`actors\` list${programEntryHint(registry.allowList)}`)
      }
      if (checked === undefined) {
        const shared = this.#defaults.get(type)
        if (shared !== undefined) return shared
      }
      // Not located yet (this thread has not indexed its modules): the class is set once it is.
      const blueprint = makeBlueprint(this.#deps.host.thread, location === undefined ? undefined : (type as unknown as LoadedActorClass), location?.module ?? '(being located)', location?.export ?? type.name, options)
      if (checked === undefined) this.#defaults.set(type, blueprint)
      return blueprint
    }
    if (isActorTypeRef(type)) {
      const module = hrefOf(sourceModuleHref(type.module))
      const key = `${module}#${type.export}`
      if (checked === undefined) {
        const shared = this.#defaultsByName.get(key)
        if (shared !== undefined) return shared
      }
      const blueprint = makeBlueprint(this.#deps.host.thread, registry.loadedNow(module, type.export), module, type.export, options)
      if (checked === undefined) this.#defaultsByName.set(key, blueprint)
      return blueprint
    }
    throw new SpawnError('(unknown)', String(type), 'the type is not an Actor subclass or actorType(moduleUrl, exportName)')
  }

  #cell(record: LocalRecord, self: ActorRefImpl, parent: ActorRefImpl, actorClass: LoadedActorClass): ActorCell {
    const { blueprint } = record
    return new ActorCell(self, parent, messageHandlersOf(actorClass), this.#deps.host, blueprint.mailbox, blueprint)
  }

  /** The class is not known here yet (or the child has a name to register first). */
  async #startLater(record: LocalRecord, self: ActorRefImpl, parent: ActorRefImpl, type: unknown): Promise<void> {
    const { registry, actors } = this.#deps
    let actorClass: LoadedActorClass
    try {
      const { blueprint } = record
      if (blueprint.actorClass !== undefined) actorClass = blueprint.actorClass
      else if (isActorClass(type)) {
        const location = await registry.locate(type)
        if (location === undefined) {
          throw new SpawnError('(unregistered)', type.name, `the class is not exported by any module file in the system's \`actors\` list${programEntryHint(registry.allowList)}`)
        }
        actorClass = type as unknown as LoadedActorClass
        blueprint.module = location.module
        blueprint.export = location.export
      } else actorClass = await registry.load(blueprint.module, blueprint.export)
      // Shared with the other children of this class spawned meanwhile: they find it too.
      blueprint.actorClass = actorClass
      if (record.name !== undefined) {
        record.reported = true
        await this.#deps.registerName({ id: record.id, thread: self.home, name: record.name, window: self.window })
      }
    } catch (error) {
      actors.abandon(record.id, 'start-failed', asSpawnError(record, error, 'it could not be created'))
      this.#failed(record, error)
      return
    }
    if (this.#deps.tree.get(record.id) !== record) return // stopped meanwhile
    const cell = this.#cell(record, self, parent, actorClass)
    this.#deps.tree.attach(record, cell)
    actors.add(cell)
    await this.#start(record, cell, undefined)
  }

  /** Constructor, `onRestart` (a re-creation) and `onStart`; then messages flow. */
  #start(record: LocalRecord, cell: ActorCell, cause: Error | undefined): Promise<void> | void {
    const { host } = this.#deps
    const context = new HostedActorContext(cell, host)
    let instance: Actor & ActorLifecycle
    try {
      instance = record.create(context)
    } catch (error) {
      return this.#startFailed(record, cell, asSpawnError(record, error, 'the constructor threw'))
    }
    cell.attach(instance, context, record)
    let result: unknown
    try {
      result = cause === undefined ? instance.onStart?.() : restartHooks(instance, cause)
    } catch (error) {
      return this.#startFailed(record, cell, asSpawnError(record, error, 'onStart failed'))
    }
    if (!isThenable(result)) return cell.started()
    return Promise.resolve(result).then(
      () => cell.started(),
      (error: unknown) => this.#startFailed(record, cell, asSpawnError(record, error, 'onStart failed')),
    )
  }

  #startFailed(record: LocalRecord, cell: ActorCell, error: SpawnError): void {
    const { host, actors } = this.#deps
    for (const left of cell.startFailed()) {
      if (left.selector === STOP) {
        settle(left)
        host.replyOk(left, undefined)
      } else host.undeliverable(cell.self, left, 'start-failed', error)
    }
    this.#deps.tree.detach(record)
    actors.remove(cell)
    this.#failed(record, error)
  }

  /** The child will not run: it is reported, its children stop, and its parent forgets it. */
  #failed(record: LocalRecord, error: unknown): void {
    const { tree } = this.#deps
    const failure = asSpawnError(record, error, 'it could not be created')
    this.#deps.publish({ type: 'actor-failed', actor: record.id, error: failure, directive: 'stop' })
    void tree.stopChildren(record.id).finally(() => tree.ended(record.id, record))
  }
}

/** A re-created instance hears why (`onRestart`), then starts. */
function restartHooks(instance: ActorLifecycle, cause: Error): unknown {
  const restarted = instance.onRestart?.(cause)
  return isThenable(restarted) ? Promise.resolve(restarted).then(() => instance.onStart?.()) : instance.onStart?.()
}

function asSpawnError(record: LocalRecord, error: unknown, what: string): SpawnError {
  if (error instanceof SpawnError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new SpawnError(record.blueprint.module, record.blueprint.export, `${what}: ${message}`, { cause: error })
}

const NO_ARGS: readonly unknown[] = Object.freeze([])

/** The options of a spawn that gives none: resolved once. */
/** The options of a spawn that gives none, resolved once by the same checks as any other. */
const DEFAULT_OPTIONS: CheckedSpawnOptions = checkSpawnOptions(undefined)

function makeBlueprint(thread: number, actorClass: LoadedActorClass | undefined, module: string, exportName: string, options: typeof DEFAULT_OPTIONS): LocalBlueprint {
  const { restart, supervision, mailbox, handlerTimeoutMs, askErrors, reentrancy } = options
  return { thread, actorClass, module, export: exportName, restart, supervision, mailbox, handlerTimeoutMs, askErrors, reentrancy }
}

/** No option but `args` (an array) and `placement`: every default applies. */
export function defaultsOnly(options: SpawnInput | undefined): boolean {
  if (options === undefined) return true
  if (typeof options !== 'object' || options === null) return false
  for (const key in options) if (key !== 'args' && key !== 'placement') return false
  return options.args === undefined || Array.isArray(options.args)
}

function hrefOf(module: string): string {
  try {
    return new URL(module).href
  } catch {
    return module
  }
}

