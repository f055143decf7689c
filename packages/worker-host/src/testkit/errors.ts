import { TroupeError } from '@troupe/core'

/**
 * A deterministic system did not become idle within `settleTimeoutMs` of real time during a
 * `settle()` (or a probe's wait, or `clock.advance`): a message loop that never ends, most
 * likely. Nothing is lost; the simulation goes on stepping.
 */
export class SimulationBusyError extends TroupeError {
  readonly code = 'ERR_SIMULATION_BUSY'
  constructor(readonly timeoutMs: number) {
    super(`the simulation did not become idle within ${timeoutMs} ms (a message loop that never ends?)`)
  }
}

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
