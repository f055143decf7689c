import type { Order, StatusEvent, StockLevel } from './types.js'

const threadName = (thread: number): string => (thread === 0 ? 'main thread' : `worker ${thread}`)

export function placementLines(threads: Readonly<Record<string, number>>): string[] {
  return Object.entries(threads).map(([actor, thread]) => `  ${actor.padEnd(10)} on ${threadName(thread)}`)
}

export function orderLine(order: Order, expected: string): string {
  return `  #${order.id} ${order.customer.padEnd(6)} ${order.quantity} × ${order.sku.padEnd(6)} card ${order.card.padEnd(7)} (should end ${expected})`
}

/** One notification as a line: time, order, transition and why. */
export function eventLine(event: StatusEvent, order: Order | undefined): string {
  const who = `#${event.orderId} ${(order?.customer ?? '?').padEnd(6)}`
  return `  +${String(event.atMs).padStart(5)} ms  ${who} ${event.status.padEnd(15)} ${explain(event)}`.trimEnd()
}

function explain(event: StatusEvent): string {
  switch (event.status) {
    case 'paying':
      return `attempt ${event.attempt ?? '?'}`
    case 'retry-scheduled':
      return `attempt ${event.attempt ?? '?'} failed (${event.detail ?? '?'}), next in ${event.delayMs ?? '?'} ms`
    case 'received':
    case 'reserved':
      return ''
    default:
      return event.detail ?? ''
  }
}

export function stockLine(level: StockLevel): string {
  return `  ${level.sku.padEnd(7)} ${String(level.initial).padStart(3)} = ${String(level.available).padStart(3)} available + ${level.reserved} reserved + ${String(level.sold).padStart(2)} sold`
}
