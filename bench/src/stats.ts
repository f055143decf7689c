// Order statistics used by the harness (over runs) and by latency baselines (over calls).

/** Returns a sorted copy so callers' arrays keep their recording order. */
function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b)
}

/**
 * Percentile with linear interpolation between closest ranks (p in [0, 1]).
 * p = 0.5 on an even-length list averages the two middle values, i.e. the usual median.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list')
  const sorted = sortedCopy(values)
  const rank = (sorted.length - 1) * p
  const lower = Math.floor(rank)
  const upper = Math.ceil(rank)
  const low = sorted[lower] ?? Number.NaN
  const high = sorted[upper] ?? Number.NaN
  return low + (high - low) * (rank - lower)
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5)
}
