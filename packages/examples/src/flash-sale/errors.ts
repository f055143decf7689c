/**
 * The inventory could not learn whether a sale reached the disk (its append to the writer
 * failed), so it restarts and re-reads the log. The buyer should retry with the same purchase
 * id: the retry is answered from the log if the sale was recorded after all. A `code`, because
 * across threads the error arrives as a plain `Error`.
 */
export class PurchaseUncertainError extends Error {
  readonly code = 'ERR_PURCHASE_UNCERTAIN'
  constructor(cause: unknown) {
    super(`purchase outcome unknown: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'PurchaseUncertainError'
  }
}
