import type { ActorRef } from 'troupe'
import type { Buyer } from './buyer.js'
import type { ShoppingReport } from './purchase.js'
import { delay, isRetryable, retryDelayMs } from './retry.js'

/** A chunk's buyer may wait out a worker restart inside it; the default 10 s is too tight on a loaded machine. */
const CHUNK_TIMEOUT_MS = 60_000
/** Re-runs of one chunk before the sale is declared broken. */
const MAX_CHUNK_RUNS = 20

export type ShoppingPlan = {
  readonly buyers: readonly ActorRef<Buyer>[]
  /** Every purchase id of the sale, in chunks; each buyer takes the next chunk when done. */
  readonly chunks: readonly (readonly string[])[]
  /** Called with each chunk's report, in the order they come back. */
  readonly onReport: (report: ShoppingReport) => void
}

/**
 * Keeps every buyer busy with a chunk until there are none left. A chunk whose buyer died with
 * its worker (`WorkerCrashedError`) is handed again to the same buyer, restarted under the same
 * ref, with the same purchase ids: whatever it had already bought is answered from the record.
 * Resolves with the number of chunks that had to be re-run.
 */
export async function shop(plan: ShoppingPlan): Promise<number> {
  let next = 0
  let reruns = 0
  const keepBusy = async (buyer: ActorRef<Buyer>): Promise<void> => {
    while (next < plan.chunks.length) {
      const chunk = plan.chunks[next++]!
      for (let run = 1; ; run++) {
        try {
          plan.onReport(await buyer.with({ timeoutMs: CHUNK_TIMEOUT_MS }).ask.shop(chunk))
          break
        } catch (error) {
          if (!isRetryable(error) || run >= MAX_CHUNK_RUNS) throw error
          reruns++
          await delay(retryDelayMs(run))
        }
      }
    }
  }
  await Promise.all(plan.buyers.map(keepBusy))
  return reruns
}

/** Splits `items` into chunks of `size` (the last may be shorter). */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}
