// Starting, guarding and always shutting down the actor system of one troupe benchmark run.
import { ActorSystem, type ActorSystemOptions, type DeadLetterReason, type SystemEvent } from 'troupe'

/** The allow-list: the one module of benchmark actors, compiled next to this file. */
export const BENCH_ACTORS = new URL('./actors.js', import.meta.url)

// Generous, like the baselines: a hung run should fail its benchmark, not the whole suite.
const timeoutMs = 60_000

/** What a benchmark that is not a plain stream needs to change about its system. */
export interface SystemSettings {
  /** The allow-list. Default: `[BENCH_ACTORS]`. */
  readonly actors?: readonly URL[]
  /** Further options (e.g. `supervision`); heartbeats etc. keep their defaults unless set here. */
  readonly options?: Omit<ActorSystemOptions, 'actors' | 'workers'>
  /**
   * Judges every system event: an Error fails the run. Default: any actor failure or worker
   * crash fails it (see `unexpectedFailure`).
   */
  readonly judge?: (event: SystemEvent) => Error | undefined
  /** How long the body may take before the run fails as hung, in ms. Default 60 000. */
  readonly timeoutMs?: number
  /** Dead-letter reasons the benchmark causes on purpose (a killed worker's `worker-died`); any other fails the run. */
  readonly expectedDeadLetters?: readonly DeadLetterReason[]
}

/** The default judge: in a benchmark that crashes nothing on purpose, any failure is a bug. */
export function unexpectedFailure(what: string, event: SystemEvent): Error | undefined {
  if (event.type === 'actor-failed') return new Error(`${what}: actor#${event.actor} failed: ${event.error.message}`, { cause: event.error })
  if (event.type === 'worker-crashed') return new Error(`${what}: worker ${event.thread} crashed: ${event.reason}`)
  return undefined
}

/**
 * Starts a system with `workers` workers, runs `body`, and shuts the system down whatever
 * happens. The body is raced against a timeout and against any actor failure or worker crash
 * (a throwing tell handler would otherwise just leave a latch unanswered; `settings.judge`
 * can allow the ones a benchmark causes on purpose), and a run that produced dead letters
 * fails: every message of a benchmark must have been processed.
 */
export async function withSystem<T>(
  workers: number,
  what: string,
  body: (system: ActorSystem) => Promise<T>,
  settings: SystemSettings = {},
): Promise<T> {
  const judge = settings.judge ?? ((event: SystemEvent) => unexpectedFailure(what, event))
  const runTimeoutMs = settings.timeoutMs ?? timeoutMs
  const system = await ActorSystem.start({
    askTimeoutMs: timeoutMs,
    stopTimeoutMs: 10_000,
    ...settings.options,
    workers,
    actors: settings.actors ?? [BENCH_ACTORS],
  })
  let timer: NodeJS.Timeout | undefined
  let unsubscribe: () => void = () => undefined
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${runTimeoutMs} ms`)), runTimeoutMs)
    unsubscribe = system.events.subscribe((event) => {
      const error = judge(event)
      if (error) reject(error)
    })
  })
  failure.catch(() => undefined) // only meaningful while the body runs
  let result: T
  try {
    result = await Promise.race([body(system), failure])
    const unexpected = Object.entries(system.deadLetters.countsByReason).filter(([reason]) => !settings.expectedDeadLetters?.includes(reason as DeadLetterReason))
    if (unexpected.length > 0) {
      throw new Error(`${what}: unexpected dead letter(s): ${JSON.stringify(Object.fromEntries(unexpected))}`)
    }
  } catch (error) {
    // The body's error is the one to report; a shutdown failing after it would only hide it.
    await system.shutdown().catch(() => undefined)
    throw error
  } finally {
    clearTimeout(timer)
    unsubscribe()
  }
  await system.shutdown()
  return result
}

/** Throws unless `actual` equals `expected`, so a fast wrong answer fails the run. */
export function check(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, expected ${String(expected)}`)
}

/** Actors hosted now, over all threads (local children included), per `system.stats()`. */
export async function hostedActors(system: ActorSystem): Promise<number> {
  const stats = await system.stats()
  return stats.threads.reduce((sum, thread) => sum + thread.actors, 0)
}

/** Actors the main thread records (top-level and cross-thread ones, not local children). */
export async function recordedActors(system: ActorSystem): Promise<number> {
  return (await system.stats()).registry.actors
}
