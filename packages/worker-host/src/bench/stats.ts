// Statistics for benchmarks on a noisy machine: order statistics, paired ratios, a seeded
// percentile bootstrap of the median, and the verdict of an interval against a goal.
// Shared by `troupe bench` and the repository's own suite, so both judge figures the same way.

/** A goal for a figure or ratio: at least (`>=`) or at most (`<=`) `value`. */
export interface BenchGoal {
  readonly op: '>=' | '<='
  readonly value: number
}

/**
 * `met`: the whole interval is on the goal's side. `not met`: the whole interval is on the other
 * side. `undecided`: the interval straddles the goal, so this run cannot tell; measure more pairs.
 */
export type BenchVerdict = 'met' | 'not met' | 'undecided'

/** A closed interval [low, high]. */
export type Interval = readonly [low: number, high: number]

export interface BootstrapOptions {
  /** Resamples drawn; 2000 keeps the interval's ends stable to a few tenths of a percent. */
  readonly resamples?: number
  /** Two-sided coverage of the interval, in (0, 1). */
  readonly confidence?: number
  /** Seeds the generator, so the same samples always give the same interval. */
  readonly seed?: number
}

export interface SampleSummary {
  /** Median of the samples. */
  readonly value: number
  /** Bootstrap confidence interval of the median. */
  readonly interval: Interval
  /** How many samples (pairs, rounds) went in. */
  readonly samples: number
  /** Present when a goal was given. */
  readonly verdict?: BenchVerdict
}

export const DEFAULT_RESAMPLES = 2000
export const DEFAULT_CONFIDENCE = 0.95
/**
 * Fewer samples never decide: the bootstrap interval of one sample is a point and says nothing
 * about the spread, so with one or two pairs the verdict is `undecided` whatever the figures.
 */
export const MIN_DECISIVE_SAMPLES = 3

/** Returns a sorted copy so callers' arrays keep their recording order. */
function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b)
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  const rank = (sorted.length - 1) * p
  const lower = Math.floor(rank)
  const upper = Math.ceil(rank)
  const low = sorted[lower] ?? Number.NaN
  const high = sorted[upper] ?? Number.NaN
  return low + (high - low) * (rank - lower)
}

/**
 * Percentile with linear interpolation between closest ranks (p in [0, 1]).
 * p = 0.5 on an even-length list averages the two middle values, i.e. the usual median.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list')
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile: p must be in [0, 1], got ${p}`)
  return percentileOfSorted(sortedCopy(values), p)
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5)
}

/** mulberry32: a small, fast generator of floats in [0, 1); good enough for resampling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a of a string: a stable seed per ratio id, so each ratio's interval is reproducible. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * Percentile bootstrap interval of the median: resample the values with replacement, take each
 * resample's median, and return the (1 - confidence) / 2 and (1 + confidence) / 2 percentiles of
 * those medians. It assumes nothing about the distribution (timings are skewed and have outliers),
 * and with a fixed seed the same samples always give the same interval.
 */
export function bootstrapInterval(values: readonly number[], options: BootstrapOptions = {}): Interval {
  if (values.length === 0) throw new Error('bootstrap of an empty list')
  const resamples = options.resamples ?? DEFAULT_RESAMPLES
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`)
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${confidence}`)
  for (const value of values) if (!Number.isFinite(value)) throw new RangeError(`bootstrap: non-finite sample ${value}`)
  const random = seededRandom(options.seed ?? 1)
  const n = values.length
  const resample = new Array<number>(n)
  const medians = new Array<number>(resamples)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) resample[i] = values[Math.floor(random() * n)] as number
    resample.sort((a, b) => a - b)
    medians[r] = percentileOfSorted(resample, 0.5)
  }
  medians.sort((a, b) => a - b)
  const tail = (1 - confidence) / 2
  return [percentileOfSorted(medians, tail), percentileOfSorted(medians, 1 - tail)]
}

/** Whether an interval lies wholly on the goal's side, wholly off it, or straddles it. */
export function verdictOf(interval: Interval, goal: BenchGoal): BenchVerdict {
  const [low, high] = interval
  if (goal.op === '>=') {
    if (low >= goal.value) return 'met'
    if (high < goal.value) return 'not met'
  } else {
    if (high <= goal.value) return 'met'
    if (low > goal.value) return 'not met'
  }
  return 'undecided'
}

/**
 * Per-pair ratios numerators[i] / denominators[i]: each pair was measured back to back, so a
 * slower or faster machine moves both sides of a pair and cancels in its ratio.
 */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): number[] {
  if (numerators.length !== denominators.length) {
    throw new Error(`paired ratios need as many numerators as denominators (${numerators.length} vs ${denominators.length})`)
  }
  return numerators.map((numerator, i) => {
    const denominator = denominators[i] as number
    if (!(denominator !== 0 && Number.isFinite(denominator) && Number.isFinite(numerator))) {
      throw new RangeError(`pair ${i}: cannot divide ${numerator} by ${denominator}`)
    }
    return numerator / denominator
  })
}

/** The verdict of `samples` summarized by `interval`: undecided below MIN_DECISIVE_SAMPLES. */
export function judge(samples: number, interval: Interval, goal: BenchGoal): BenchVerdict {
  return samples < MIN_DECISIVE_SAMPLES ? 'undecided' : verdictOf(interval, goal)
}

/** Median, bootstrap interval, count, and (given a goal) the verdict of the interval. */
export function summarizeSamples(samples: readonly number[], goal?: BenchGoal, options: BootstrapOptions = {}): SampleSummary {
  const value = median(samples)
  const interval = bootstrapInterval(samples, options)
  const summary = { value, interval, samples: samples.length }
  return goal === undefined ? summary : { ...summary, verdict: judge(samples.length, interval, goal) }
}
