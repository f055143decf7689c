/** The inventory's answer to one purchase attempt. Plain data: it crosses threads. */
export type PurchaseResult =
  /** The unit is the buyer's, and the sale is on disk. `replayed`: a retry of a sale already recorded. */
  | { readonly status: 'sold'; readonly purchaseId: string; readonly replayed: boolean }
  /** No unit left for this attempt. Stock never comes back, so a retry gets the same answer. */
  | { readonly status: 'sold-out'; readonly purchaseId: string }

/** What a buyer reports for one attempt: the inventory's answer, or why it got none. */
export type AttemptOutcome =
  | (PurchaseResult & { readonly tries: number })
  | { readonly status: 'unanswered'; readonly purchaseId: string; readonly tries: number; readonly error: string }

/** A buyer's answer to one chunk of attempts. */
export type ShoppingReport = {
  readonly thread: number
  readonly outcomes: readonly AttemptOutcome[]
}

/** The purchase ids of a sale: one per attempt, stable across retries. */
export const purchaseId = (n: number): string => `p-${String(n).padStart(6, '0')}`
