import { TroupeError } from '@troupe/core'

/**
 * A run of `exploreSeeds` failed. Its message names the seed and how to replay it; `cause` is
 * what the test threw; `trace` is that run's trace (deliveries, drops, faults), to compare with
 * a replay.
 */
export class SeedFailureError extends TroupeError {
  readonly code = 'ERR_SEED_FAILED'
  constructor(
    readonly seed: number,
    readonly tried: number,
    readonly trace: readonly string[],
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`seed ${seed} failed (run ${tried} of the exploration): ${reason}\n  replay it with TestKit.deterministic({ ...options, seed: ${seed} })`, { cause })
  }
}
