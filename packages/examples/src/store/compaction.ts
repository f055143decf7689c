/**
 * When to rewrite the log as a snapshot of its live keys. Compact once the file holds at least
 * `minRecords` records and more than `factor` times as many records as there are live keys:
 * the dead weight is then at least (factor − 1)/factor of the file, so the cost of rewriting it
 * is repaid, and a small log is never rewritten at all.
 */
export type CompactionPolicy = {
  readonly minRecords: number
  readonly factor: number
}

export const DEFAULT_COMPACTION: CompactionPolicy = { minRecords: 1_000, factor: 2 }

export function shouldCompact(logRecords: number, liveKeys: number, policy: CompactionPolicy): boolean {
  return logRecords >= policy.minRecords && logRecords > policy.factor * liveKeys
}

export function checkCompactionPolicy(policy: CompactionPolicy): CompactionPolicy {
  if (!(Number.isInteger(policy.minRecords) && policy.minRecords >= 1)) throw new RangeError(`compaction.minRecords must be a positive integer, got ${policy.minRecords}`)
  // A factor of 1 or less would rewrite a file with no dead weight, after every append.
  if (!(Number.isFinite(policy.factor) && policy.factor > 1)) throw new RangeError(`compaction.factor must be a number above 1, got ${policy.factor}`)
  return policy
}
