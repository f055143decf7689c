/**
 * Errors after which a purchase may or may not have happened, and asking again with the same
 * purchase id is safe (the inventory is idempotent per id):
 * - ERR_WORKER_CRASHED: the inventory's worker died with the ask pending;
 * - ERR_ASK_TIMEOUT: no answer in time, e.g. while the inventory was being restarted;
 * - ERR_PURCHASE_UNCERTAIN: the inventory lost track of its write and is reloading.
 * Anything else (a bug, a shutdown) is final.
 */
const RETRYABLE = new Set(['ERR_WORKER_CRASHED', 'ERR_ASK_TIMEOUT', 'ERR_PURCHASE_UNCERTAIN'])

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && RETRYABLE.has(code)
}

/** Tries per attempt before a buyer gives up: far more than a worker restart needs. */
export const MAX_TRIES = 30

/**
 * 10, 20, 40, ... ms, capped at 250 ms. An ask sent in the moment between a worker's death and
 * the system noticing it fails again at once; backing off keeps that from becoming a spin.
 */
export function retryDelayMs(failedTries: number): number {
  return Math.min(250, 10 * 2 ** (failedTries - 1))
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
