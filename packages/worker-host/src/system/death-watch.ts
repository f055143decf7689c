import { isRemoteKey } from '../transport/remote-key.js'

/** An actor as death watch reports it. */
export interface WatchedActor {
  id: number
  thread: number
  name: string | undefined
}

/** A watcher: its id, and the thread it lives on (main may have no record of it). */
export interface Watcher {
  readonly id: number
  readonly thread: number
}

/**
 * A watcher's key among the watchers of one actor: its id, which is unique on this node; a watcher
 * of another node (its thread a remote link number, see remote-key.ts) is keyed with that number
 * too, since ids are only unique per node.
 */
function watcherKey(watcher: Watcher): number | string {
  return isRemoteKey(watcher.thread) ? `${watcher.thread}:${watcher.id}` : watcher.id
}

/** Which actors watch which; `signal` delivers the termination to one watcher. */
export class DeathWatch {
  /** Watched id → watcher key → the watcher. */
  readonly #watchers = new Map<number, Map<number | string, Watcher>>()
  readonly #signal: (watcher: Watcher, watched: WatchedActor) => void

  constructor(signal: (watcher: Watcher, watched: WatchedActor) => void) {
    this.#signal = signal
  }

  /** Actors with a watcher set (for `stats()`). */
  get size(): number {
    return this.#watchers.size
  }

  /** `alive`: whether `watched` exists now; watching a gone actor signals at once. */
  watch(watcher: Watcher, watched: number, alive: boolean): void {
    if (!alive) {
      this.#signal(watcher, { id: watched, thread: 0, name: undefined })
      return
    }
    let watchers = this.#watchers.get(watched)
    if (!watchers) this.#watchers.set(watched, (watchers = new Map()))
    watchers.set(watcherKey(watcher), watcher)
  }

  unwatch(watcher: Watcher, watched: number): void {
    const watchers = this.#watchers.get(watched)
    watchers?.delete(watcherKey(watcher))
    if (watchers?.size === 0) this.#watchers.delete(watched)
  }

  /** `actor` stopped for good: signal its watchers, and forget what it watched. */
  terminated(actor: WatchedActor): void {
    const watchers = this.#watchers.get(actor.id)
    this.#watchers.delete(actor.id)
    for (const set of this.#watchers.values()) set.delete(actor.id)
    for (const watcher of watchers?.values() ?? []) this.#signal(watcher, actor)
  }
}
