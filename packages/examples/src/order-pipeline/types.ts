// The messages of the order pipeline: plain data, so they cross threads unchanged.

export interface Order {
  readonly id: number
  readonly customer: string
  readonly sku: string
  readonly quantity: number
  /** Cents, so sums stay exact. */
  readonly amount: number
  /** Which scripted card the payment gateway charges (see `CardBehaviour`). */
  readonly card: string
}

/** Where an order is. The last four are final: an order in one of them never moves again. */
export type OrderStatus =
  | 'received'
  | 'reserved'
  | 'paying'
  | 'retry-scheduled'
  | 'paid'
  | 'shipped'
  | 'out-of-stock'
  | 'payment-failed'
  | 'failed'

export type FinalStatus = Extract<OrderStatus, 'shipped' | 'out-of-stock' | 'payment-failed' | 'failed'>

export const FINAL_STATUSES: readonly OrderStatus[] = ['shipped', 'out-of-stock', 'payment-failed', 'failed']

export function isFinal(status: OrderStatus): status is FinalStatus {
  return FINAL_STATUSES.includes(status)
}

/** One status transition, as the processor reports it to the notifier. */
export interface StatusChange {
  readonly orderId: number
  readonly status: OrderStatus
  /** The payment attempt, for `paying` and `retry-scheduled`. */
  readonly attempt?: number
  /** The backoff before the next attempt, for `retry-scheduled`. */
  readonly delayMs?: number
  /** Why: the gateway's answer, a tracking id, a shortage. */
  readonly detail?: string
}

/** A transition as the notifier recorded it: numbered and timed on arrival. */
export interface StatusEvent extends StatusChange {
  /** Position in the notifier's feed, from 0. */
  readonly seq: number
  /** Milliseconds since the notifier's first event. */
  readonly atMs: number
}

/** What `processor.ask.place(order)` resolves to once the order is final. */
export interface OrderOutcome {
  readonly orderId: number
  readonly status: FinalStatus
  /** Payment attempts made (0 when the order never reached payment). */
  readonly attempts: number
  readonly trackingId?: string
  readonly reason?: string
}

export type Reservation = { readonly ok: true } | { readonly ok: false; readonly available: number }

export interface StockLevel {
  readonly sku: string
  readonly initial: number
  readonly available: number
  readonly reserved: number
  readonly sold: number
}

export interface ChargeRequest {
  readonly orderId: number
  readonly amount: number
  readonly card: string
  readonly attempt: number
}

export type ChargeResult = { readonly ok: true; readonly transactionId: string } | { readonly ok: false; readonly reason: string }

/**
 * How the scripted gateway treats a card: `failures` attempts fail before one succeeds
 * ('always': none ever does); `hold` keeps the charge pending until `releaseHeld()`, like a
 * payment provider that is slow to answer.
 */
export interface CardBehaviour {
  readonly failures: number | 'always'
  readonly hold?: boolean
}

/** Payment retries: attempt n+1 waits `baseDelayMs · 2^(n-1)`, capped at `maxDelayMs`. */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** An attempt the gateway has not answered after this long counts as failed. */
  readonly chargeTimeoutMs: number
}
