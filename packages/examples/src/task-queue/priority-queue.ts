import { PRIORITIES, type Priority } from './types.js'

export interface Queued<T> {
  readonly priority: Priority
  /** Admission order across all priorities: who was waiting before whom. */
  readonly seq: number
  readonly item: T
}

/**
 * One FIFO per priority. `shift` takes the oldest task of the highest non-empty priority, so a
 * high task admitted late overtakes normal and low tasks that were waiting before it, and tasks
 * of one priority keep their order. Small by design: the master admits at most its capacity.
 */
export class PriorityQueue<T> {
  readonly #levels: Record<Priority, Queued<T>[]> = { high: [], normal: [], low: [] }
  #seq = 0

  get size(): number {
    return this.#levels.high.length + this.#levels.normal.length + this.#levels.low.length
  }

  sizes(): Record<Priority, number> {
    return { high: this.#levels.high.length, normal: this.#levels.normal.length, low: this.#levels.low.length }
  }

  push(priority: Priority, item: T): Queued<T> {
    const queued = { priority, seq: this.#seq++, item }
    this.#levels[priority].push(queued)
    return queued
  }

  shift(): Queued<T> | undefined {
    for (const priority of PRIORITIES) {
      const next = this.#levels[priority].shift()
      if (next !== undefined) return next
    }
    return undefined
  }

  /** Tasks of a lower priority than `queued` that were admitted before it and are still waiting. */
  overtakenBy(queued: Queued<T>): number {
    let count = 0
    for (const priority of PRIORITIES.slice(PRIORITIES.indexOf(queued.priority) + 1)) {
      for (const other of this.#levels[priority]) if (other.seq < queued.seq) count++
    }
    return count
  }

  /** Takes out every task `expired` says yes to, wherever it waits; returns them in admission order. */
  removeWhere(expired: (item: T) => boolean): Queued<T>[] {
    const removed: Queued<T>[] = []
    for (const priority of PRIORITIES) {
      const level = this.#levels[priority]
      const kept = level.filter((queued) => !expired(queued.item))
      if (kept.length === level.length) continue
      removed.push(...level.filter((queued) => expired(queued.item)))
      this.#levels[priority] = kept
    }
    return removed.sort((a, b) => a.seq - b.seq)
  }
}
