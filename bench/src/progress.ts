// Where a run of the suite stands: which benchmark runs now, how much of the plan is done, and
// so how long the rest should take. The unit of work is one run of one benchmark (a member of a
// group in one round), so a group weighs what it is planned to run: members × rounds, warm-up
// rounds included. A group of three in eleven rounds counts 33 runs, a benchmark in no ratio 6.
import { remainingMs } from 'troupe'

/** A benchmark of the plan, with the runs planned for it (its group's rounds). */
export interface PlannedBenchmark {
  readonly id: string
  readonly runs: number
}

export interface Count {
  readonly done: number
  readonly total: number
}

export interface ProgressSnapshot {
  /** `done`: every planned run over (or dropped after a failure); `started`: first run begun. */
  readonly benchmarks: Count & { readonly started: number }
  /** Runs finished, and planned in all (less those dropped after failures). */
  readonly runs: Count
  /** The run in progress, e.g. { id: 'tell.cross-thread', label: 'round 3/10' }; null between runs. */
  readonly current: { readonly id: string; readonly label: string } | null
  readonly elapsedMs: number
  /** null until the first run has finished. */
  readonly remainingMs: number | null
}

export class SuiteProgress {
  private readonly runsLeft: Map<string, number>
  private readonly started = new Set<string>()
  private readonly startedAt: number
  private runsTotal: number
  private runsDone = 0
  private benchmarksDone = 0
  private lastFinishedAt: number
  private current: { id: string; label: string } | null = null

  constructor(
    plan: readonly PlannedBenchmark[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.runsLeft = new Map(plan.map(({ id, runs }) => [id, runs]))
    this.runsTotal = plan.reduce((sum, { runs }) => sum + runs, 0)
    this.startedAt = now()
    this.lastFinishedAt = this.startedAt
  }

  /** A run of `id` starts. True when it is the benchmark's first run. */
  starting(id: string, label: string): boolean {
    this.current = { id, label }
    if (this.started.has(id)) return false
    this.started.add(id)
    return true
  }

  /** The run of `id` ended; `dropped` of its planned runs will not happen (it failed). */
  finished(id: string, dropped = 0): void {
    this.current = null
    this.runsDone++
    this.runsTotal -= dropped
    this.lastFinishedAt = this.now()
    const left = (this.runsLeft.get(id) ?? 1) - 1 - dropped
    this.runsLeft.set(id, left)
    if (left === 0) this.benchmarksDone++
  }

  snapshot(): ProgressSnapshot {
    const nowMs = this.now() - this.startedAt
    const spentMs = this.lastFinishedAt - this.startedAt
    return {
      benchmarks: { done: this.benchmarksDone, total: this.runsLeft.size, started: this.started.size },
      runs: { done: this.runsDone, total: this.runsTotal },
      current: this.current,
      elapsedMs: nowMs,
      remainingMs: remainingMs({ done: this.runsDone, total: this.runsTotal, spentMs, nowMs }),
    }
  }
}
