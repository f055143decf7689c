// The measuring core: what a benchmark is, and how repeated runs become one summarized result.
import { median } from './stats.js'

/**
 * One registered benchmark. `run` performs exactly one timed run and returns its figure
 * (e.g. msg/s, or µs for latencies). A run must be self-contained: if it spawns workers it
 * must terminate them before resolving or rejecting, and it should do its own untimed
 * warm-up inside fresh workers, since the harness's warm-up runs only warm the main thread.
 */
export interface BenchmarkDefinition {
  readonly id: string
  readonly unit: string
  run(quick: boolean): Promise<number>
}

export interface BenchmarkResult {
  readonly id: string
  readonly unit: string
  readonly median: number
  readonly min: number
  readonly max: number
  readonly runs: number
  /**
   * The timed figures in round order. Benchmarks measured in the same group have one figure per
   * round each, so samples[i] of two of them were measured back to back: the pairs of a ratio.
   */
  readonly samples: readonly number[]
}

/** The result of a benchmark from its timed figures, in round order. */
export function summarizeFigures(id: string, unit: string, figures: readonly number[]): BenchmarkResult {
  if (figures.length === 0) throw new Error(`${id}: no timed figures`)
  return { id, unit, median: median(figures), min: Math.min(...figures), max: Math.max(...figures), runs: figures.length, samples: [...figures] }
}
