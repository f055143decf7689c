// Runs a workload on each worker count in rounds: every round measures every count once, in an
// order rotated from round to round, so the machine's drift moves all counts of a round alike and
// cancels in the per-round speed-ups.
import { availableParallelism } from 'node:os'
import type { MachineReport, MachineSnapshot } from './machine.js'
import { describeMachine, machineSnapshot } from './machine.js'
import { runOnce } from './run-once.js'
import { scalingRows } from './scaling-report.js'
import type { ScalingReport, ScalingSettings } from './scaling-report.js'
import { DEFAULT_CONFIDENCE } from './stats.js'
import type { Workload } from './workload.js'

export interface ScalingProgress {
  /** Runs finished so far, and in all (warm-up rounds included). */
  readonly done: number
  readonly total: number
  /** The run that just finished. */
  readonly workers: number
  readonly round: number
  readonly warmup: boolean
  /** Its operations per second. */
  readonly perSecond: number
}

export interface BenchWorkloadOptions {
  /** Default: 1 .. os.availableParallelism(). */
  readonly workerCounts?: readonly number[]
  /** Timed rounds (pairs per worker count). Default 10. */
  readonly pairs?: number
  /** Untimed rounds first. Default 1. */
  readonly warmupRounds?: number
  /** Efficiency goal. Default 0.85 (85% of linear). */
  readonly goal?: number
  readonly confidence?: number
  readonly seed?: number
  /** One run (setup, warm-up pass, timed pass, checks). Default 120 s. */
  readonly timeoutMs?: number
  readonly onProgress?: (progress: ScalingProgress) => void
}

export const DEFAULT_PAIRS = 10

/** Which worker count runs at position `i` of round `round`: the list rotated by the round. */
export function roundOrder(workerCounts: readonly number[], round: number): number[] {
  const n = workerCounts.length
  return workerCounts.map((_, i) => workerCounts[(i + round) % n] as number)
}

export function validateWorkerCounts(counts: readonly number[]): number[] {
  if (counts.length === 0) throw new RangeError('workerCounts must name at least one worker count')
  for (const count of counts) if (!Number.isInteger(count) || count < 1) throw new RangeError(`worker counts must be positive integers, got ${count}`)
  const sorted = [...new Set(counts)].sort((a, b) => a - b)
  if (sorted.length !== counts.length) throw new RangeError(`worker counts must not repeat: ${counts.join(', ')}`)
  return sorted
}

/**
 * Measures `workload` on every worker count: `pairs` timed rounds after `warmupRounds` untimed
 * ones, each run on a fresh system. Rejects with a `WorkloadRunError` naming the failing step.
 */
export function benchWorkload<State>(workload: Workload<State>, options: BenchWorkloadOptions = {}): Promise<ScalingReport> {
  return runScaling(workload, scalingSettings(options, availableParallelism()), machineSnapshot(), options)
}

/** benchWorkload with its settings resolved, and the machine's state taken before anything was loaded. */
export async function runScaling<State>(
  workload: Workload<State>,
  settings: ScalingSettings,
  machineAtStart: MachineSnapshot,
  options: Pick<BenchWorkloadOptions, 'timeoutMs' | 'onProgress'> = {},
): Promise<ScalingReport> {
  const counts = validateWorkerCounts(settings.workerCounts)
  const samples = new Map<number, number[]>(counts.map((k) => [k, []]))
  const rounds = settings.warmupRounds + settings.pairs
  const total = rounds * counts.length
  let done = 0
  const date = new Date().toISOString()
  for (let round = 0; round < rounds; round++) {
    const warmup = round < settings.warmupRounds
    for (const workers of roundOrder(counts, round)) {
      const figure = await runOnce(workload, workers, { timeoutMs: options.timeoutMs ?? 120_000 })
      if (!warmup) samples.get(workers)?.push(figure.perSecond)
      done++
      options.onProgress?.({ done, total, workers, round, warmup, perSecond: figure.perSecond })
    }
  }
  const machine: MachineReport = describeMachine(machineAtStart, machineSnapshot())
  return {
    tool: 'troupe bench',
    workload: workload.name,
    unit: `${workload.unit ?? 'ops'}/s`,
    date,
    settings: { ...settings, workerCounts: counts },
    machine,
    rows: scalingRows(samples, settings),
    samples: Object.fromEntries([...samples].map(([k, figures]) => [String(k), figures])),
  }
}

/** Settings with the defaults filled in. */
export function scalingSettings(options: BenchWorkloadOptions, defaultMaxWorkers: number): ScalingSettings {
  const pairs = options.pairs ?? DEFAULT_PAIRS
  const warmupRounds = options.warmupRounds ?? 1
  const goal = options.goal ?? 0.85
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`pairs must be a positive integer, got ${pairs}`)
  if (!Number.isInteger(warmupRounds) || warmupRounds < 0) throw new RangeError(`warmupRounds must be a non-negative integer, got ${warmupRounds}`)
  if (!(goal > 0 && Number.isFinite(goal))) throw new RangeError(`goal must be a positive number, got ${goal}`)
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`)
  return {
    workerCounts: validateWorkerCounts(options.workerCounts ?? Array.from({ length: defaultMaxWorkers }, (_, i) => i + 1)),
    pairs,
    warmupRounds,
    goal,
    confidence,
    seed: options.seed ?? 1,
  }
}
