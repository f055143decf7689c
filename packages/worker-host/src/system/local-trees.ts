import { stopInReverse } from './stop-order.js'
import { fromWireError, toWireError } from '@troupe/core/internal'
import type { Host } from '../host/host.js'
import type { LocalEvent, RefInfo } from '../protocol/control.js'
import type { Topic } from '../util/topic.js'
import type { DeathWatch, WatchedActor, Watcher } from './death-watch.js'
import type { Directory } from './directory.js'
import type { SystemEvent } from './system-events.js'
import type { WorkerHandle } from './worker-handle.js'

export interface LocalTreesDeps {
  readonly directory: Directory
  readonly deathWatch: DeathWatch
  readonly events: Topic<SystemEvent>
  readonly mainHost: Host
  /** The live worker of `thread`. */
  worker(thread: number): WorkerHandle
  /** Stops an actor main records, and its subtree. */
  stop(id: number): Promise<void>
}

/**
 * What the main thread knows of the threads' local trees (children spawned on their parent's
 * thread, supervised there): only what it must. Their names, so `lookup` finds them; the ones it
 * watches for someone, whose end their thread reports; the children they spawned on other
 * threads, which main records and supervises for them. Nothing else grows here with them.
 */
export class LocalTrees {
  readonly #deps: LocalTreesDeps
  /** Actors of local trees that someone watches through main, until their thread reports their end. */
  readonly #watched = new Map<number, WatchedActor>()

  constructor(deps: LocalTreesDeps) {
    this.#deps = deps
  }

  /** Death watch of any actor: main's own records, or an actor of a thread's local tree. */
  async watch(watcher: Watcher, watched: number, watchedThread: number, on: boolean): Promise<void> {
    const { directory, deathWatch } = this.#deps
    if (!on) {
      deathWatch.unwatch(watcher, watched)
      return
    }
    if (directory.get(watched) !== undefined) {
      deathWatch.watch(watcher, watched, true)
      return
    }
    // Asked of its thread: from now on it reports the actor's end (false: already gone).
    const alive = await this.#reportEnd(watched, watchedThread).catch(() => false)
    if (alive && !this.#watched.has(watched)) this.#watched.set(watched, { id: watched, thread: watchedThread, name: undefined })
    deathWatch.watch(watcher, watched, alive)
  }

  #reportEnd(id: number, thread: number): Promise<boolean> {
    if (thread === 0) return Promise.resolve(this.#deps.mainHost.lifecycle.reportEnd(id))
    return this.#deps.worker(thread).call((control) => control.reportEnd(id))
  }

  registerName(info: RefInfo): void {
    this.#deps.directory.registerLocalName(info)
  }

  /** An actor of `thread`'s local tree that main knows of ended. */
  ended(id: number, thread: number, name: string | undefined): void {
    if (name !== undefined) this.#deps.directory.releaseLocalName(name, id)
    const watched = this.#watched.get(id)
    if (watched === undefined) return
    this.#watched.delete(id)
    this.#deps.deathWatch.terminated({ ...watched, thread, name })
  }

  /** Stops what an actor of a local tree spawned on other threads (it is stopping or restarting). */
  async stopChildren(parent: number): Promise<void> {
    const { directory } = this.#deps
    await stopInReverse(directory.childrenOf(parent), this.#deps.stop, (id) => directory.leafThread(id))
    directory.forgetForeignParent(parent)
  }

  event(event: LocalEvent): void {
    this.#deps.events.publish(event.type === 'actor-failed' ? { ...event, error: fromWireError(event.error) } : event)
  }

  /** A failure escalated to an actor of a local tree: its supervisor, on its thread, decides. */
  escalate(parent: number, error: Error): void {
    const thread = this.#deps.directory.foreignParent(parent)?.thread
    if (thread === undefined) return
    if (thread === 0) {
      this.#deps.mainHost.lifecycle.escalated(parent, error)
      return
    }
    const wire = toWireError(error)
    void this.#deps
      .worker(thread)
      .call((control) => control.escalated(parent, wire))
      .catch(() => undefined)
  }

  /**
   * `thread` died and its local tree with it: its names go, its watched actors are terminated,
   * and the children its actors had spawned elsewhere stop (no parent remains to supervise them).
   */
  threadDied(thread: number): void {
    const orphaned = this.#deps.directory.forgetLocalTree(thread)
    for (const [id, watched] of this.#watched) {
      if (watched.thread !== thread) continue
      this.#watched.delete(id)
      this.#deps.deathWatch.terminated(watched)
    }
    for (const parent of orphaned) void this.stopChildren(parent).catch(() => undefined)
  }
}
