// The measuring core: what a benchmark is, and how repeated runs become one summarized result.
import { median } from './stats.js'

/** A figure a benchmark measures in the same run as its own, reported as a result of its own. */
export interface CompanionDefinition {
  readonly id: string
  readonly unit: string
}

/** What one run returns when it measured companion figures too: each companion's id and figure. */
export interface RunFigures {
  readonly figure: number
  readonly companions: Readonly<Record<string, number>>
}

/**
 * Caps on the rounds of the group a benchmark is in. For a benchmark whose run takes minutes
 * and whose figure is a count rather than a timing: more rounds would cost minutes and add nothing.
 */
export interface RoundCaps {
  /** At most this many timed rounds (at least 1). */
  readonly timed: number
  /** At most this many untimed rounds (0: its runs warm nothing in this process, e.g. it forks). */
  readonly warmup: number
}

/**
 * One registered benchmark. `run` performs exactly one timed run and returns its figure
 * (e.g. msg/s, or µs for latencies). A run must be self-contained: if it spawns workers it
 * must terminate them before resolving or rejecting, and it should do its own untimed
 * warm-up inside fresh workers, since the harness's warm-up runs only warm the main thread.
 */
export interface BenchmarkDefinition {
  readonly id: string
  readonly unit: string
  /** Figures measured by the same run under ids of their own; `run` returns them as `RunFigures`. */
  readonly companions?: readonly CompanionDefinition[]
  readonly rounds?: RoundCaps
  /**
   * What the benchmark needs beyond Node and its packages (e.g. a nats-server binary): resolves to
   * a reason it cannot run on this machine, or undefined when it can. Asked once per suite run,
   * before any benchmark runs; an unavailable benchmark is skipped with its reason in the report
   * (failed under CI=true). See availability.ts.
   */
  requires?(): Promise<string | undefined>
  run(quick: boolean): Promise<number | RunFigures>
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

/**
 * The figures of one run by id: the benchmark's own and every declared companion's. Throws when
 * a declared companion is missing or an undeclared one is returned, or any figure is not finite,
 * so a broken run cannot pass as a result.
 */
export function runFigures(definition: BenchmarkDefinition, outcome: number | RunFigures): Map<string, number> {
  const own = typeof outcome === 'number' ? outcome : outcome.figure
  const returned = typeof outcome === 'number' ? {} : outcome.companions
  const figures = new Map([[definition.id, own]])
  const declared = new Set((definition.companions ?? []).map((c) => c.id))
  for (const id of Object.keys(returned)) if (!declared.has(id)) throw new Error(`${definition.id}: run returned an undeclared figure ${id}`)
  for (const id of declared) {
    const figure = returned[id]
    if (figure === undefined) throw new Error(`${definition.id}: run returned no figure for ${id}`)
    figures.set(id, figure)
  }
  for (const [id, figure] of figures) if (!Number.isFinite(figure)) throw new Error(`${id}: run produced a non-finite figure (${figure})`)
  return figures
}
