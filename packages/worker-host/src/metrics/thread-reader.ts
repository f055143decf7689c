import type { ThreadSnapshot } from '../metrics/thread-snapshot.js'

/** Why a thread gave no reading this time. */
export type NoReading = 'no-answer' | 'down'

/** Thread → its metrics snapshot, or why there is none. Every thread 0..N is present. */
export type Readings = ReadonlyMap<number, ThreadSnapshot | NoReading>

/** Where readings come from: each thread's metrics snapshot (what `runtime.metrics` collects on a scrape). */
export interface ReadingSources {
  readonly workers: number
  /** Thread 0's snapshot: this very thread, so it always answers. */
  main(): ThreadSnapshot
  /** A worker's snapshot over its control plane; rejects when the worker died. */
  worker(thread: number): Promise<ThreadSnapshot>
}

const TIMED_OUT = Symbol('timed out')

/** Settles with the promise's value, or `TIMED_OUT` after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)))
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

/**
 * Reads every thread's figures, each bounded by its own timeout, so a hung worker leaves out only
 * its own. A question not answered in time is not asked again while it is pending: the next read
 * waits on the same one, so a hung worker never collects a queue of them. The scrape
 * (`SystemMetrics`) and the dashboard each have their own reader.
 */
export class ThreadReader {
  readonly #sources: ReadingSources
  readonly #pending = new Map<number, Promise<ThreadSnapshot | undefined>>()

  constructor(sources: ReadingSources) {
    this.#sources = sources
  }

  async read(timeoutMs: number): Promise<Readings> {
    const readings = new Map<number, ThreadSnapshot | NoReading>([[0, this.#sources.main()]])
    const answers = await Promise.all(Array.from({ length: this.#sources.workers }, (_, i) => within(this.#worker(i + 1), timeoutMs)))
    answers.forEach((answer, i) => readings.set(i + 1, answer === TIMED_OUT ? 'no-answer' : (answer ?? 'down')))
    return readings
  }

  /** `undefined` when the worker is down (the call rejected). */
  #worker(thread: number): Promise<ThreadSnapshot | undefined> {
    let pending = this.#pending.get(thread)
    if (!pending) {
      pending = this.#sources.worker(thread).catch(() => undefined)
      this.#pending.set(thread, pending)
      void pending.finally(() => this.#pending.delete(thread))
    }
    return pending
  }
}
