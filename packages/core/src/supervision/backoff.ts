import type { ResolvedSupervision } from './supervision-options.js'

/**
 * Delay before restart number `attempt` (0 for the first since the child was last stable):
 * `minMs * 2^attempt`, capped at `maxMs`, then spread by ±`jitter`. `random` is injectable
 * (0..1) so the schedule is testable.
 */
export function backoffDelay(backoff: NonNullable<ResolvedSupervision['backoff']>, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(attempt, 52))
  const spread = 1 + backoff.jitter * (2 * random() - 1)
  return Math.round(Math.min(backoff.maxMs, base * spread))
}
