import type { RetryPolicy } from './types.js'

/**
 * The wait before the next payment attempt, after `failedAttempts` failures: exponential and
 * capped. No jitter, so the example (and its test) can state the exact delays; a real client
 * facing many callers would spread them with jitter.
 */
export function backoffDelay(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1))
}
