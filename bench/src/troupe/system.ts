// Starting, guarding and always shutting down the actor system of one troupe benchmark run.
import { ActorSystem } from 'troupe'

/** The allow-list: the one module of benchmark actors, compiled next to this file. */
export const BENCH_ACTORS = new URL('./actors.js', import.meta.url)

// Generous, like the baselines: a hung run should fail its benchmark, not the whole suite.
const timeoutMs = 60_000

/**
 * Starts a system with `workers` workers, runs `body`, and shuts the system down whatever
 * happens. The body is raced against a timeout and against any actor failure or worker crash
 * (a throwing tell handler would otherwise just leave a latch unanswered), and a run that
 * produced dead letters fails: every message of a benchmark must have been processed.
 */
export async function withSystem<T>(workers: number, what: string, body: (system: ActorSystem) => Promise<T>): Promise<T> {
  const system = await ActorSystem.start({ workers, actors: [BENCH_ACTORS], askTimeoutMs: timeoutMs, stopTimeoutMs: 10_000 })
  let timer: NodeJS.Timeout | undefined
  let unsubscribe: () => void = () => undefined
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${timeoutMs} ms`)), timeoutMs)
    unsubscribe = system.events.subscribe((event) => {
      if (event.type === 'actor-failed') reject(new Error(`${what}: actor#${event.actor} failed: ${event.error.message}`, { cause: event.error }))
      else if (event.type === 'worker-crashed') reject(new Error(`${what}: worker ${event.thread} crashed: ${event.reason}`))
    })
  })
  failure.catch(() => undefined) // only meaningful while the body runs
  let result: T
  try {
    result = await Promise.race([body(system), failure])
    if (system.deadLetters.count > 0) {
      throw new Error(`${what}: ${system.deadLetters.count} dead letter(s): ${JSON.stringify(system.deadLetters.countsByReason)}`)
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
