import { SpawnTimeoutError, type ActorRef } from '@troupe/core'
import type { Clock } from '../clock/clock.js'
import { creditWindow, toWireError, type ActorRefImpl, type ResolvedSupervision } from '@troupe/core/internal'
import type { HostDirective, SpawnOrder } from '../protocol/control.js'
import type { SpawnAtBody, SpawnAtReply } from '../protocol/spawn-wire.js'
import type { SystemEvent } from '../system/system-events.js'
import { withDeadline } from '../util/deadline.js'
import type { ActorCell } from './actor-cell.js'
import type { ActorIds } from './actor-ids.js'
import type { Host } from './host.js'
import type { SystemPort } from './host-options.js'
import type { LocalActors } from './local-actors.js'
import type { LocalRecord } from './local-record.js'
import { LocalSpawner, defaultsOnly } from './local-spawn.js'
import { RemoteSpawner } from './remote-spawn.js'
import { LocalTree, type LocalTreeHost } from './local-tree.js'
import { buildSpawnRequest, spawnRequestNow, type SpawnInput } from './spawn-request.js'

export interface LocalLifecycleOptions {
  readonly host: Host
  readonly ids: ActorIds
  readonly actors: LocalActors
  readonly system: SystemPort
  readonly workerCount: number
  readonly maxMessageBytes: number
  readonly spawnTimeoutMs: number
  readonly askTimeoutMs: number
  /** The system's default supervision. */
  readonly supervision: ResolvedSupervision
}

/**
 * Spawning, stopping, watching and supervising, as seen from one thread. Children placed on
 * their parent's thread (`'local'`, the default of `ctx.spawn`) are created and supervised here
 * (`LocalSpawner`, `LocalTree`); anything that crosses threads, or that main records, goes
 * through the system on the main thread.
 */
export class LocalLifecycle implements LocalTreeHost {
  readonly tree: LocalTree
  readonly #spawner: LocalSpawner
  readonly #remote: RemoteSpawner
  readonly #options: LocalLifecycleOptions

  constructor(options: LocalLifecycleOptions) {
    this.#options = options
    this.tree = new LocalTree(this, options.supervision)
    this.#spawner = new LocalSpawner({
      host: options.host,
      ids: options.ids,
      actors: options.actors,
      tree: this.tree,
      registry: options.host.registry,
      workerCount: options.workerCount,
      registerName: (info) => options.system.registerName(info),
      publish: (event) => this.publish(event),
    })
    this.#remote = new RemoteSpawner(options)
  }

  get thread(): number {
    return this.#options.host.thread
  }

  get actors(): LocalActors {
    return this.#options.actors
  }

  get clock(): Clock {
    return this.#options.host.clock
  }

  get random(): () => number {
    return this.#options.host.random
  }

  /** `ctx.spawn`: a local child at once, or a child elsewhere through the system. */
  spawnFrom(parent: ActorCell, type: unknown, options: SpawnInput | undefined): ActorRef | Promise<ActorRef> {
    const placement = options?.placement
    if (placement === undefined || placement === 'local') return this.#spawner.spawn(parent, type, options)
    if (isColocatedHere(placement, this.thread)) return Promise.resolve().then(() => this.#spawner.spawn(parent, type, { ...options, placement: 'local' }))
    return this.spawnElsewhere(parent.id, type, options)
  }

  /** `spawn` through the system (`system.spawn` on main, `ctx.spawn` to another thread). */
  async spawnElsewhere<A>(parent: number, type: unknown, options: SpawnInput | undefined): Promise<ActorRef<A>> {
    const { host, spawnTimeoutMs, workerCount, maxMessageBytes, system } = this.#options
    // Finding a class imports the allow-listed modules: one whose top level never finishes must not hang spawn.
    const request =
      spawnRequestNow(host.registry, type, options, workerCount, maxMessageBytes) ??
      (await withDeadline(buildSpawnRequest(host.registry, type, options, workerCount, maxMessageBytes), spawnTimeoutMs, () =>
        new SpawnTimeoutError('(the allow-listed modules)', typeof type === 'function' ? type.name : String((type as { export?: unknown }).export), spawnTimeoutMs),
      ))
    const record = this.tree.get(parent)
    if (record !== undefined) {
      // Main has no record of this parent: it supervises the child with the parent's options.
      record.foreignChildren = true
      const window = creditWindow(record.blueprint.mailbox, workerCount + 1)
      request.foreignParent = { ref: { id: parent, thread: this.thread, name: record.name, window }, supervision: record.blueprint.supervision }
    }
    const target = parent === 0 ? undefined : this.#remote.target(request)
    const cell = target === undefined ? undefined : this.actors.get(parent)
    const info =
      cell === undefined
        ? await system.spawn(parent, request)
        : await this.#remote.spawn(
            { id: parent, thread: this.thread, name: cell.self.name, window: cell.self.window },
            request,
            target!,
            defaultsOnly(options),
            request.foreignParent?.supervision,
            () => this.actors.get(parent) === cell,
          )
    return host.refTo<A>(info.id, info.thread, info.name, info.window)
  }

  /** Another worker spawns a child here straight over the link (see `RemoteSpawner`). */
  spawnAt(body: SpawnAtBody, from: number): Promise<SpawnAtReply> {
    return this.#remote.create(body, from)
  }

  /**
   * Another thread died. A child created here for a parent there that main has not heard of
   * (the spawner died between the answer and its record, see `RemoteSpawner`) would outlive its
   * parent unsupervised: every root here whose parent lived there is stopped through main, which
   * stops the ones it records as it would anyway (their parent's restart or stop takes them).
   */
  parentThreadDied(thread: number): void {
    if (this.thread === 0) return
    for (const cell of this.actors.cells()) {
      if (cell.parent?.home === thread && this.tree.get(cell.id) === undefined) this.#options.system.stop(cell.id, false, this.thread).catch(() => undefined)
    }
  }

  /** Main ordered this actor created here (top-level, spawned from another thread, or restored). */
  created(order: SpawnOrder): void {
    this.tree.addRoot(order.id, order.supervision)
  }

  /** `ctx.stop`: an actor of the local tree here; anything else through the system. */
  /** An actor by the name it was registered under: of this node, or of the node named `node`. */
  async lookup<A>(name: string, node?: string): Promise<ActorRef<A> | undefined> {
    if (node !== undefined) {
      const found = await this.#options.system.lookupOnNode(name, node)
      return found && this.#options.host.refAt<A>(found.id, found.thread, found.name, found.node)
    }
    const info = await this.#options.system.lookup(name)
    return info && this.#options.host.refTo<A>(info.id, info.thread, info.name, info.window)
  }

  requestStop(ref: ActorRefImpl, exit: boolean): Promise<void> {
    if (ref.home === this.thread && this.tree.get(ref.id) !== undefined) return this.tree.stop(ref.id, exit)
    return this.#options.system.stop(ref.id, exit, ref.home)
  }

  stopAndForget(ref: ActorRefImpl, exit: boolean): void {
    if (ref.home === this.thread && this.tree.get(ref.id) !== undefined) this.tree.stopSoon(ref.id, exit)
    // Fire and forget by design; a failure here means the actor is already gone.
    else this.#options.system.stop(ref.id, exit, ref.home).catch(() => undefined)
  }

  watch(watcher: number, watched: ActorRefImpl, on: boolean): Promise<void> {
    if (watcher === watched.id) return Promise.resolve()
    return this.#options.system.watch(watcher, this.thread, watched.id, watched.home, on)
  }

  /** Main watches (or names) an actor of the local tree: its end is reported. False if gone. */
  reportEnd(id: number): boolean {
    const record = this.tree.get(id)
    if (record !== undefined) {
      record.reported = true
      return true
    }
    // A root: main records it, and reports its end itself.
    return this.actors.get(id) !== undefined
  }

  /** An actor of this thread failed: its parent here decides, or main for the actors it records. */
  failed(cell: ActorCell, error: unknown): void {
    if (this.tree.get(cell.id) !== undefined) this.tree.failed(cell.id, asError(error))
    else this.#options.system.actorFailed(cell.id, toWireError(error))
  }

  /** Main escalated a failure to an actor of the local tree here. */
  escalated(id: number, error: Error): void {
    if (this.tree.get(id) !== undefined) this.tree.failed(id, error)
  }

  // ---- LocalTreeHost -------------------------------------------------------------------------

  /**
   * A supervisor's directive for a failed actor of this thread (from main, or from its parent
   * here). Before a restart its children stop, as Akka does.
   */
  async supervise(id: number, directive: HostDirective, cause: Error): Promise<void> {
    const cell = this.#options.actors.get(id)
    if (cell === undefined) return
    if (directive === 'resume') cell.resume()
    else if (directive === 'pause') cell.pause()
    else {
      await this.tree.stopChildren(id)
      await cell.restart(cause)
    }
  }

  recreate(record: LocalRecord, cause: Error): Promise<void> {
    return this.#spawner.recreate(record, cause)
  }

  escalate(id: number, error: Error): void {
    this.#options.system.actorFailed(id, toWireError(error))
  }

  stopForeignChildren(parent: number): Promise<void> {
    return this.#options.system.stopChildren(parent)
  }

  publish(event: SystemEvent): void {
    const { system } = this.#options
    if (event.type === 'actor-failed') system.localEvent({ type: 'actor-failed', actor: event.actor, error: toWireError(event.error), directive: event.directive }, this.thread)
    else if (event.type === 'actor-restarted' || event.type === 'actor-stopped') system.localEvent(event, this.thread)
  }

  reportEnded(record: LocalRecord): void {
    this.#options.system.localEnded(record.id, this.thread, record.name)
  }
}

function isColocatedHere(placement: unknown, thread: number): boolean {
  if (typeof placement !== 'object' || placement === null || !('colocateWith' in placement)) return false
  const ref = (placement as { colocateWith: unknown }).colocateWith
  return typeof ref === 'object' && ref !== null && (ref as { home?: unknown }).home === thread
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
