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

/** Which actors watch which; `signal` delivers the termination to one watcher. */
export class DeathWatch {
  /** Watched id → watcher id → the watcher's thread. */
  readonly #watchers = new Map<number, Map<number, number>>()
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
    watchers.set(watcher.id, watcher.thread)
  }

  unwatch(watcher: number, watched: number): void {
    const watchers = this.#watchers.get(watched)
    watchers?.delete(watcher)
    if (watchers?.size === 0) this.#watchers.delete(watched)
  }

  /** `actor` stopped for good: signal its watchers, and forget what it watched. */
  terminated(actor: WatchedActor): void {
    const watchers = this.#watchers.get(actor.id)
    this.#watchers.delete(actor.id)
    for (const set of this.#watchers.values()) set.delete(actor.id)
    for (const [id, thread] of watchers ?? []) this.#signal({ id, thread }, actor)
  }
}
