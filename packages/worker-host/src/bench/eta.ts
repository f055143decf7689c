// Time left in work counted in runs (of a scaling run, or of a benchmark suite), from the time
// the finished runs took: the mean time per finished run times the runs left. Not cli-progress's
// own estimate, a moving window over its last ten updates: runs differ in length (worker counts,
// benchmarks), and a mean over the whole run so far is steadier than the last few runs.

export interface WorkDone {
  /** Runs finished, and planned in all. */
  readonly done: number
  readonly total: number
  /** Milliseconds from the start until the last run finished. */
  readonly spentMs: number
  /** Milliseconds from the start until now (at least `spentMs`). */
  readonly nowMs: number
}

/** Milliseconds left; null while no run has finished, since there is nothing to go by. */
export function remainingMs(work: WorkDone): number | null {
  if (work.done >= work.total) return 0
  if (work.done <= 0) return null
  const perRun = work.spentMs / work.done
  // The run in progress has used part of its share already: it counts for what is left of that
  // share, and never for less than nothing. So on a terminal the estimate counts down between
  // reports, and on a run that takes long it waits (rather than promising the impossible).
  const inProgress = Math.max(0, perRun - (work.nowMs - work.spentMs))
  return (work.total - work.done - 1) * perRun + inProgress
}
