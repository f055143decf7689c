import type { ShoppingReport } from './purchase.js'

/**
 * The buyers' side of the books, kept on the main thread: one final answer per purchase id.
 * Counting by id rather than by report means a chunk that is run again after its buyer's worker
 * died cannot count a sale twice, and an id answered differently twice is caught as a conflict.
 */
export class OutcomeBook {
  readonly #answers = new Map<string, 'sold' | 'sold-out'>()
  #sold = 0
  #conflicts = 0
  #unanswered = 0
  #retries = 0
  #replayed = 0
  readonly #attemptsByThread = new Map<number, number>()

  record(report: ShoppingReport): void {
    this.#attemptsByThread.set(report.thread, (this.#attemptsByThread.get(report.thread) ?? 0) + report.outcomes.length)
    for (const outcome of report.outcomes) {
      this.#retries += outcome.tries - 1
      if (outcome.status === 'unanswered') {
        this.#unanswered++
        continue
      }
      if (outcome.status === 'sold' && outcome.replayed) this.#replayed++
      const previous = this.#answers.get(outcome.purchaseId)
      if (previous === undefined) {
        this.#answers.set(outcome.purchaseId, outcome.status)
        if (outcome.status === 'sold') this.#sold++
      } else if (previous !== outcome.status) {
        this.#conflicts++
      }
    }
  }

  /** Purchase ids with a final answer. */
  get answered(): number {
    return this.#answers.size
  }
  get sold(): number {
    return this.#sold
  }
  get soldOut(): number {
    return this.#answers.size - this.#sold
  }
  /** Ids answered "sold" once and "sold out" another time: must stay 0. */
  get conflicts(): number {
    return this.#conflicts
  }
  /** Attempts a buyer gave up on (not retryable, or out of tries). */
  get unanswered(): number {
    return this.#unanswered
  }
  /** Extra tries buyers needed, over all attempts. */
  get retries(): number {
    return this.#retries
  }
  /** Sales answered from the inventory's record of an earlier try. */
  get replayed(): number {
    return this.#replayed
  }

  soldIds(): Set<string> {
    return new Set([...this.#answers].filter(([, status]) => status === 'sold').map(([id]) => id))
  }

  /** Attempts answered by buyers on each thread (a chunk run twice counts twice). */
  attemptsByThread(): ReadonlyMap<number, number> {
    return new Map([...this.#attemptsByThread].sort(([a], [b]) => a - b))
  }
}
