import { Actor } from 'troupe'
import type { StreamTotals } from './stream-totals.js'

/**
 * An independent tally on the main thread: consumers report every chunk they finish here, so the
 * end result can be checked against a second count that never touched the producers.
 */
export class Ledger extends Actor {
  #count = 0
  #sum = 0
  #chunks = 0

  record(count: number, sum: number): void {
    this.#count += count
    this.#sum += sum
    this.#chunks++
  }

  totals(): StreamTotals & { readonly chunks: number; readonly thread: number } {
    return { count: this.#count, sum: this.#sum, chunks: this.#chunks, thread: this.ctx.thread }
  }
}
