// Turns the figures of a scaling run (ops/s per worker count, one per round) into the table:
// throughput with its interval, and speed-up and efficiency against linear, paired per round.
import type { MachineReport } from './machine.js'
import { bootstrapInterval, median, pairedRatios, seedOf, summarizeSamples } from './stats.js'
import type { BenchGoal, Interval, SampleSummary } from './stats.js'

export interface ScalingSettings {
  /** Worker counts measured, ascending; the first is the base of speed-up and efficiency. */
  readonly workerCounts: readonly number[]
  /** Timed rounds; each round measures every worker count once, so each k has this many pairs with the base. */
  readonly pairs: number
  /** Untimed rounds first. */
  readonly warmupRounds: number
  /** Efficiency (speed-up / (k / base)) each worker count should reach; judged on the interval. */
  readonly goal: number
  /** Coverage of the bootstrap intervals. */
  readonly confidence: number
  /** Seed of the bootstrap (mixed with each row's worker count). */
  readonly seed: number
}

export interface ThroughputSummary {
  readonly median: number
  readonly min: number
  readonly max: number
  /** Bootstrap interval of the median over rounds (absolute: machine drift is not cancelled). */
  readonly interval: Interval
}

export interface ScalingRow {
  readonly workers: number
  /** Operations per second, over the rounds. */
  readonly throughput: ThroughputSummary
  /** Throughput over the base worker count's, paired per round; null on the base row. */
  readonly speedup: SampleSummary | null
  /** Speed-up over (workers / base): 1 is linear. Paired per round, judged against the goal; null on the base row. */
  readonly efficiency: SampleSummary | null
}

export interface ScalingReport {
  readonly tool: 'troupe bench'
  readonly workload: string
  /** The unit of throughput, e.g. `msg/s`. */
  readonly unit: string
  readonly date: string
  readonly settings: ScalingSettings
  readonly machine: MachineReport
  readonly rows: readonly ScalingRow[]
  /** The timed figures (ops/s) per worker count, in round order: what the rows are computed from. */
  readonly samples: Readonly<Record<string, readonly number[]>>
}

/** Rows from the per-round figures; `samples` holds, per worker count, one figure per timed round. */
export function scalingRows(samples: ReadonlyMap<number, readonly number[]>, settings: ScalingSettings): ScalingRow[] {
  const counts = [...samples.keys()].sort((a, b) => a - b)
  const base = counts[0]
  if (base === undefined) return []
  const baseFigures = samples.get(base) ?? []
  const goal: BenchGoal = { op: '>=', value: settings.goal }
  return counts.map((workers) => {
    const figures = samples.get(workers) ?? []
    if (figures.length === 0) throw new Error(`no figures for ${workers} worker(s)`)
    const seed = settings.seed + workers
    const throughput: ThroughputSummary = {
      median: median(figures),
      min: Math.min(...figures),
      max: Math.max(...figures),
      interval: bootstrapInterval(figures, { seed, confidence: settings.confidence }),
    }
    if (workers === base) return { workers, throughput, speedup: null, efficiency: null }
    const speedups = pairedRatios(figures, baseFigures)
    const ideal = workers / base
    const options = { seed: seed ^ seedOf('efficiency'), confidence: settings.confidence }
    return {
      workers,
      throughput,
      speedup: summarizeSamples(speedups, undefined, { seed, confidence: settings.confidence }),
      efficiency: summarizeSamples(
        speedups.map((s) => s / ideal),
        goal,
        options,
      ),
    }
  })
}
