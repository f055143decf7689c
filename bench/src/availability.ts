// Which selected benchmarks this machine can run. A benchmark that needs something outside Node
// (the raw-NATS baselines need Debian's nats-server) says so with `requires`; without it the
// benchmark is skipped with its reason shown in the report, instead of failing the whole run.
// CI installs everything the suite needs (.ci/run), so under CI=true a missing piece fails.
import type { BenchmarkDefinition } from './harness.js'

/** A selected benchmark that was not run, and why. */
export interface Unavailable {
  readonly id: string
  readonly reason: string
}

export interface Availability {
  /** The benchmarks to run, in their order. */
  readonly runnable: BenchmarkDefinition[]
  /** Not run, reported with their reason; the run still succeeds. */
  readonly skipped: Unavailable[]
  /** Not run, and the run fails: unavailable under CI, or a `requires` check that threw. */
  readonly failed: Unavailable[]
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Asks every selected benchmark's `requires` (one at a time, in order) and sorts them. `ci`: a
 * missing requirement is a failure rather than a skip (CI is meant to have everything).
 */
export async function checkAvailability(selected: readonly BenchmarkDefinition[], ci: boolean): Promise<Availability> {
  const runnable: BenchmarkDefinition[] = []
  const skipped: Unavailable[] = []
  const failed: Unavailable[] = []
  for (const definition of selected) {
    let reason: string | undefined
    try {
      reason = await definition.requires?.()
    } catch (error) {
      failed.push({ id: definition.id, reason: `its requirement check threw: ${describe(error)}` })
      continue
    }
    if (reason === undefined) runnable.push(definition)
    else if (ci) failed.push({ id: definition.id, reason: `${reason} (CI=true: a benchmark that cannot run fails instead of being skipped)` })
    else skipped.push({ id: definition.id, reason })
  }
  return { runnable, skipped, failed }
}

/** CI=true, as CI sets it (.ci/run), and as the cluster tests read it. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['CI'] === 'true'
}
