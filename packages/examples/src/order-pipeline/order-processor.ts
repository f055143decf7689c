import { setTimeout as sleep } from 'node:timers/promises'
import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import { backoffDelay } from './backoff.js'
import type { Inventory } from './inventory.js'
import type { Notifier } from './notifier.js'
import type { PaymentGateway } from './payment-gateway.js'
import type { Shipping } from './shipping.js'
import type { ChargeResult, FinalStatus, Order, OrderOutcome, OrderStatus, Reservation, RetryPolicy, StatusChange } from './types.js'

export interface Services {
  readonly inventory: ActorRef<Inventory>
  readonly payment: ActorRef<PaymentGateway>
  readonly shipping: ActorRef<Shipping>
  readonly notifier: ActorRef<Notifier>
}

/** One order in flight. Only this actor touches it, one message at a time. */
interface Tracked {
  readonly order: Order
  status: OrderStatus
  attempts: number
  charged: boolean
  /** The answer to whoever asked `place(order)`; resolved once the order is final. */
  readonly reply: DeferredReply<OrderOutcome>
}

/**
 * Takes orders through reserve → pay (with retries) → ship, many at once.
 *
 * It never awaits inside a handler. Each step sends an ask and hands the promise to
 * `ctx.pipeToSelf`: the handler returns at once, the mailbox stays open for other orders, and
 * the answer comes back later as a message of this actor, handled one at a time like any other.
 * The order's state lives in `#orders`, not on a suspended call stack. Backoff waits are piped
 * the same way, so a retry in 100 ms blocks nothing either.
 *
 * Why this cannot deadlock: the services it asks never ask anyone back, and even if one did,
 * its ask would find this mailbox open. The classic deadlock needs two actors each awaiting an
 * answer inside a handler while the other's request waits behind it.
 */
export class OrderProcessor extends Actor {
  readonly #orders = new Map<number, Tracked>()
  readonly #services: Services
  readonly #retry: RetryPolicy

  constructor(services: Services, retry: RetryPolicy) {
    super()
    this.#services = services
    this.#retry = retry
  }

  /** Starts an order. `ask.place` resolves when it is final (`tell.place` just starts it). */
  place(order: Order): DeferredReply<OrderOutcome> {
    const reply = this.ctx.deferReply<OrderOutcome>()
    if (this.#orders.has(order.id)) {
      reply.reject(new Error(`order ${order.id} was already placed`))
      return reply
    }
    const tracked: Tracked = { order, status: 'received', attempts: 0, charged: false, reply }
    this.#orders.set(order.id, tracked)
    this.#moveTo(tracked, { status: 'received' })
    this.ctx.pipeToSelf(
      this.#services.inventory.ask.reserve(order.id, order.sku, order.quantity),
      (reservation) => this.#reserved(tracked, reservation),
      (error) => this.#finish(tracked, 'failed', `inventory: ${describe(error)}`),
    )
    return reply
  }

  statusOf(orderId: number): OrderStatus | undefined {
    return this.#orders.get(orderId)?.status
  }

  thread(): number {
    return this.ctx.thread
  }

  #reserved(tracked: Tracked, reservation: Reservation): void {
    if (!reservation.ok) {
      this.#finish(tracked, 'out-of-stock', `wanted ${tracked.order.quantity}, ${reservation.available} available`)
      return
    }
    this.#moveTo(tracked, { status: 'reserved' })
    this.#charge(tracked)
  }

  #charge(tracked: Tracked): void {
    const { order } = tracked
    const attempt = ++tracked.attempts
    this.#moveTo(tracked, { status: 'paying', attempt })
    // An attempt the gateway does not answer in time counts as failed, like a declined one;
    // the gateway is idempotent per order, so a late success is not charged twice.
    const charge = this.#services.payment.with({ timeoutMs: this.#retry.chargeTimeoutMs }).ask.charge({
      orderId: order.id,
      amount: order.amount,
      card: order.card,
      attempt,
    })
    this.ctx.pipeToSelf(
      charge,
      (result) => this.#charged(tracked, result),
      (error) => this.#charged(tracked, { ok: false, reason: describe(error) }),
    )
  }

  #charged(tracked: Tracked, result: ChargeResult): void {
    if (result.ok) {
      tracked.charged = true
      this.#moveTo(tracked, { status: 'paid', detail: result.transactionId })
      this.ctx.pipeToSelf(
        this.#services.shipping.ask.ship(tracked.order.id, tracked.order.customer),
        ({ trackingId }) => this.#shipped(tracked, trackingId),
        (error) => this.#abandon(tracked, 'failed', `shipping: ${describe(error)}`),
      )
    } else if (tracked.attempts >= this.#retry.maxAttempts) {
      this.#abandon(tracked, 'payment-failed', `${tracked.attempts} attempts, last: ${result.reason}`)
    } else {
      const delayMs = backoffDelay(this.#retry, tracked.attempts)
      this.#moveTo(tracked, { status: 'retry-scheduled', attempt: tracked.attempts, delayMs, detail: result.reason })
      this.ctx.pipeToSelf(sleep(delayMs), () => this.#charge(tracked))
    }
  }

  /** Shipped: the reservation becomes a sale. The order is final once the inventory confirms it. */
  #shipped(tracked: Tracked, trackingId: string): void {
    this.ctx.pipeToSelf(
      this.#services.inventory.ask.commit(tracked.order.id),
      () => this.#finish(tracked, 'shipped', trackingId),
      (error) => this.#finish(tracked, 'failed', `shipped as ${trackingId}, but the inventory did not record it: ${describe(error)}`),
    )
  }

  /**
   * Fails an order cleanly: refund if it was charged, release the reservation, and report the
   * order final only once the inventory confirms, so stock always reconciles with final orders.
   */
  #abandon(tracked: Tracked, status: FinalStatus, reason: string): void {
    if (tracked.charged) this.#services.payment.tell.refund(tracked.order.id)
    this.ctx.pipeToSelf(
      this.#services.inventory.ask.release(tracked.order.id),
      () => this.#finish(tracked, status, reason),
      (error) => this.#finish(tracked, 'failed', `${reason}; release failed: ${describe(error)}`),
    )
  }

  #finish(tracked: Tracked, status: FinalStatus, detail: string): void {
    this.#moveTo(tracked, { status, detail })
    const outcome: OrderOutcome =
      status === 'shipped'
        ? { orderId: tracked.order.id, status, attempts: tracked.attempts, trackingId: detail }
        : { orderId: tracked.order.id, status, attempts: tracked.attempts, reason: detail }
    tracked.reply.resolve(outcome)
  }

  #moveTo(tracked: Tracked, change: Omit<StatusChange, 'orderId'>): void {
    tracked.status = change.status
    this.#services.notifier.tell.statusChanged({ orderId: tracked.order.id, ...change })
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
