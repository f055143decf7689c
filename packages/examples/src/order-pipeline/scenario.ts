import { backoffDelay } from './backoff.js'
import type { CardBehaviour, FinalStatus, Order, RetryPolicy, StatusChange } from './types.js'

/** An order of the script, with the end it must reach. */
export interface ScriptedOrder {
  readonly order: Order
  readonly expected: FinalStatus
  /** Payment attempts the order must take. */
  readonly expectedAttempts: number
}

export const STOCK: Readonly<Record<string, number>> = { widget: 10, gadget: 3, gizmo: 1 }

export const CARDS: Readonly<Record<string, CardBehaviour>> = {
  ok: { failures: 0 },
  /** Two gateway timeouts, then it goes through: a transient failure that retries fix. */
  flaky: { failures: 2 },
  /** The issuer never answers: every attempt fails, and the order must fail cleanly. */
  blocked: { failures: 'always' },
  /** The gateway sits on the charge until told to answer: a slow payment. */
  held: { failures: 0, hold: true },
}

/** Four attempts, 25 → 50 → 100 ms apart: a permanent failure is given up on within ~0.2 s. */
export const RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 25, maxDelayMs: 1_000, chargeTimeoutMs: 10_000 }

const order = (id: number, customer: string, sku: string, quantity: number, card: string): Order => ({
  id,
  customer,
  sku,
  quantity,
  amount: quantity * 1_250,
  card,
})

/**
 * Placed in this order, all at once. Reservations reach the inventory in placing order (one
 * sender, FIFO), so who runs out of stock is decided: #3 finds one gadget left, #7 finds the
 * only gizmo reserved by #6. Widgets suffice for everyone, so #5 releasing its three changes
 * no other order's fate.
 */
export const ORDERS: readonly ScriptedOrder[] = [
  { order: order(1, 'alice', 'widget', 2, 'ok'), expected: 'shipped', expectedAttempts: 1 },
  { order: order(2, 'bob', 'gadget', 2, 'ok'), expected: 'shipped', expectedAttempts: 1 },
  { order: order(3, 'carol', 'gadget', 2, 'ok'), expected: 'out-of-stock', expectedAttempts: 0 },
  { order: order(4, 'dave', 'widget', 1, 'flaky'), expected: 'shipped', expectedAttempts: 3 },
  { order: order(5, 'erin', 'widget', 3, 'blocked'), expected: 'payment-failed', expectedAttempts: 4 },
  { order: order(6, 'frank', 'gizmo', 1, 'held'), expected: 'shipped', expectedAttempts: 1 },
  { order: order(7, 'grace', 'gizmo', 1, 'ok'), expected: 'out-of-stock', expectedAttempts: 0 },
  { order: order(8, 'heidi', 'widget', 4, 'ok'), expected: 'shipped', expectedAttempts: 1 },
]

/** "paying#2", "retry-scheduled#1 +25ms", "shipped": a transition as the test compares it. */
export function label(change: StatusChange): string {
  const attempt = change.attempt === undefined ? '' : `#${change.attempt}`
  const delay = change.delayMs === undefined ? '' : ` +${change.delayMs}ms`
  return `${change.status}${attempt}${delay}`
}

/** The exact transitions an order of the script must go through, in order. */
export function expectedLabels(scripted: ScriptedOrder, policy: RetryPolicy): string[] {
  if (scripted.expected === 'out-of-stock') return ['received', 'out-of-stock']
  const labels = ['received', 'reserved']
  for (let attempt = 1; attempt <= scripted.expectedAttempts; attempt++) {
    labels.push(`paying#${attempt}`)
    if (attempt < scripted.expectedAttempts) labels.push(`retry-scheduled#${attempt} +${backoffDelay(policy, attempt)}ms`)
  }
  labels.push(...(scripted.expected === 'shipped' ? ['paid', 'shipped'] : [scripted.expected]))
  return labels
}
