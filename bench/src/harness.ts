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
}

export interface MeasureOptions {
  /** Timed runs that count towards median/min/max. */
  readonly runs: number
  /** Runs executed first and discarded (JIT, caches, lazy module loading). */
  readonly warmup: number
  /** Receives one progress line per run; defaults to stderr so stdout stays the clean table. */
  readonly progress?: (line: string) => void
  /** Formats a figure for progress lines; defaults to plain number printing. */
  readonly format?: (value: number, unit: string) => string
}

const toStderr = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

/** Runs `fn` warmup + runs times, strictly one after another, and summarizes the timed runs. */
export async function measure(
  id: string,
  unit: string,
  fn: () => Promise<number>,
  options: MeasureOptions,
): Promise<BenchmarkResult> {
  const progress = options.progress ?? toStderr
  const format = options.format ?? ((value: number, u: string) => `${value} ${u}`)
  const total = options.warmup + options.runs
  const figures: number[] = []
  for (let i = 0; i < total; i++) {
    const isWarmup = i < options.warmup
    const figure = await fn()
    if (!Number.isFinite(figure)) throw new Error(`${id}: run produced a non-finite figure (${figure})`)
    const label = isWarmup ? `warmup ${i + 1}/${options.warmup}` : `run ${i - options.warmup + 1}/${options.runs}`
    progress(`  ${id} ${label}: ${format(figure, unit)}`)
    if (!isWarmup) figures.push(figure)
  }
  return {
    id,
    unit,
    median: median(figures),
    min: Math.min(...figures),
    max: Math.max(...figures),
    runs: figures.length,
  }
}
