// --pin: runs the whole suite under `taskset -c <cpus>` (Linux). The run re-executes itself under
// taskset, so every thread it ever starts (workers, piscina, child processes) inherits the
// affinity, and os.availableParallelism() reports the pinned count from the first line on.
import { spawnSync } from 'node:child_process'

/** Set in the re-executed process, so it does not pin (and re-execute) again. */
export const PINNED_ENV = 'TROUPE_BENCH_PINNED'

/** The CPU list this process was pinned to by `--pin`, or null. */
export function pinnedCpus(): string | null {
  return process.env[PINNED_ENV] ?? null
}

/** Re-runs this script under taskset with the same arguments; returns its exit code. */
export function runPinned(cpus: string): number {
  if (process.platform !== 'linux') throw new Error(`--pin needs Linux's taskset; this is ${process.platform}`)
  const script = process.argv[1]
  if (script === undefined) throw new Error('--pin: cannot tell which script is running')
  const result = spawnSync('taskset', ['-c', cpus, process.execPath, ...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [PINNED_ENV]: cpus },
  })
  if (result.error !== undefined) throw new Error(`--pin: could not start taskset (${result.error.message}); install util-linux or run without --pin`)
  return result.status ?? 1
}
