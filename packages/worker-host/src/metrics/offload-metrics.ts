import { performance } from 'node:perf_hooks'
import { ASK_BOUNDS, LocalHistogram } from './local-histogram.js'
import type { HistogramData } from './thread-snapshot.js'

/** How an offloaded task ended, as the metrics label it. */
export type TaskOutcome = 'ok' | 'error' | 'aborted' | 'timeout' | 'queue-full'

/**
 * The offload pool's figures on the main thread: tasks by outcome and how long each took from
 * `offload()` to its result (waiting included: that is what the caller waits). Kept whether or
 * not the system counts per message: a task costs microseconds, two clock reads are noise.
 */
export class OffloadMetrics {
  readonly #outcomes: Record<TaskOutcome, number> = { ok: 0, error: 0, aborted: 0, timeout: 0, 'queue-full': 0 }
  readonly #duration = new LocalHistogram(ASK_BOUNDS)

  /** A task submitted at `startedAt` (performance.now() ms) ended now. */
  settled(startedAt: number, outcome: TaskOutcome): void {
    this.#outcomes[outcome]++
    this.#duration.observe((performance.now() - startedAt) / 1000)
  }

  figures(): { tasks: Readonly<Record<string, number>>; durationSeconds: HistogramData } {
    return { tasks: { ...this.#outcomes }, durationSeconds: this.#duration.data() }
  }
}
