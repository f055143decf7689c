/**
 * Errors after which a request may or may not have been carried out, and sending it again is
 * safe:
 * - ERR_ASK_TIMEOUT: no answer in time. An ask through a router whose routee's worker dies is
 *   not failed at once (only asks addressed to that worker are), so a request lost with the
 *   worker ends this way.
 * - ERR_WORKER_CRASHED: the worker died with the request on it.
 * - ERR_WRITE_UNCERTAIN: the shard lost track of the write (its writer died, or it restarted).
 *
 * Why a retry cannot undo a later write: a client has at most one request per key in flight and
 * sends them all through the one router, so a request that is still alive somewhere (held while
 * a worker is replaced) reaches the shard before its retry and before anything sent after it. A
 * previous shard instance's late append is refused by the writer's fence. So the retry writes
 * the same value again, or deletes again, and the last acknowledged write stays the last.
 */
const RETRYABLE = new Set(['ERR_ASK_TIMEOUT', 'ERR_WORKER_CRASHED', 'ERR_WRITE_UNCERTAIN'])

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && RETRYABLE.has(code)
}

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown'
}

/** Tries per request before a client gives up: far more than a restart needs. */
export const MAX_TRIES = 30

/** 10, 20, 40, ... ms, capped at 200 ms, so a request during a restart does not spin. */
export function retryDelayMs(failedTries: number): number {
  return Math.min(200, 10 * 2 ** (failedTries - 1))
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
