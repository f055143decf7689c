/** An actor as death watch reports it. */
export interface WatchedActor {
  id: number
  thread: number
  name: string | undefined
}

/** Which actors watch which; `signal` delivers the termination to one watcher. */
export class DeathWatch {
  readonly #watchers = new Map<number, Set<number>>()
  readonly #signal: (watcher: number, watched: WatchedActor) => void

  constructor(signal: (watcher: number, watched: WatchedActor) => void) {
    this.#signal = signal
  }

  /** Actors with a watcher set (for `stats()`). */
  get size(): number {
    return this.#watchers.size
  }

  /** `alive`: whether `watched` exists now; watching a gone actor signals at once. */
  watch(watcher: number, watched: number, alive: boolean): void {
    if (!alive) {
      this.#signal(watcher, { id: watched, thread: 0, name: undefined })
      return
    }
    let watchers = this.#watchers.get(watched)
    if (!watchers) this.#watchers.set(watched, (watchers = new Set()))
    watchers.add(watcher)
  }

  unwatch(watcher: number, watched: number): void {
    this.#watchers.get(watched)?.delete(watcher)
  }

  /** `actor` stopped for good: signal its watchers, and forget what it watched. */
  terminated(actor: WatchedActor): void {
    const watchers = this.#watchers.get(actor.id)
    this.#watchers.delete(actor.id)
    for (const set of this.#watchers.values()) set.delete(actor.id)
    for (const watcher of watchers ?? []) this.#signal(watcher, actor)
  }
}
