import type { HistogramData } from './thread-snapshot.js'

/**
 * Upper bounds of the handler-duration buckets, in seconds: 10 µs (a trivial handler) to 10 s
 * (past any sane handler; `handlerHangMs` is 2 s by default).
 */
export const HANDLER_BOUNDS: readonly number[] = Object.freeze([0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10])

/** Upper bounds of the ask-latency buckets, in seconds: 50 µs (same thread) to 30 s (past the default ask timeout). */
export const ASK_BOUNDS: readonly number[] = Object.freeze([0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])

/**
 * A histogram kept on the thread that observes: bucket counts in a typed array, no labels, no
 * registry. The main thread turns it into Prometheus' cumulative buckets on a scrape, so
 * observing costs a short scan and two additions.
 */
export class LocalHistogram {
  readonly #counts: Float64Array
  #sum = 0
  #count = 0

  constructor(readonly bounds: readonly number[]) {
    this.#counts = new Float64Array(bounds.length + 1)
  }

  observe(seconds: number): void {
    const bounds = this.bounds
    let i = 0
    while (i < bounds.length && seconds > bounds[i]!) i++
    this.#counts[i]!++
    this.#sum += seconds
    this.#count++
  }

  data(): HistogramData {
    return { bounds: this.bounds, counts: Array.from(this.#counts), sum: this.#sum, count: this.#count }
  }
}
