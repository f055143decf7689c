import { Actor, type DeferredReply } from 'troupe'
import type { CardBehaviour, ChargeRequest, ChargeResult } from './types.js'

interface HeldCharge {
  readonly request: ChargeRequest
  readonly reply: DeferredReply<ChargeResult>
}

/**
 * A scripted payment provider. Each card behaves as configured: it fails a number of attempts
 * (or every one) before it succeeds, or it holds the charge until `releaseHeld()`.
 *
 * A held charge is answered with `ctx.deferReply()`, so the gateway keeps serving other charges
 * while one is pending; a slow provider slows one order, not every order. Charges are
 * idempotent per order: a retry of an order already charged returns the same transaction.
 */
export class PaymentGateway extends Actor {
  readonly #cards: Readonly<Record<string, CardBehaviour>>
  readonly #attempts = new Map<number, number>()
  readonly #charged = new Map<number, string>()
  #held: HeldCharge[] = []

  constructor(cards: Readonly<Record<string, CardBehaviour>>) {
    super()
    this.#cards = cards
  }

  charge(request: ChargeRequest): DeferredReply<ChargeResult> {
    const reply = this.ctx.deferReply<ChargeResult>()
    if (this.#cards[request.card]?.hold === true) this.#held.push({ request, reply })
    else reply.resolve(this.#decide(request))
    return reply
  }

  /** How many charges are waiting for `releaseHeld()`. */
  heldCount(): number {
    return this.#held.length
  }

  /** Answers every held charge now. */
  releaseHeld(): number {
    const held = this.#held
    this.#held = []
    for (const { request, reply } of held) reply.resolve(this.#decide(request))
    return held.length
  }

  /** Gives the money back (an order that was paid but could not ship). False if nothing was charged. */
  refund(orderId: number): boolean {
    return this.#charged.delete(orderId)
  }

  thread(): number {
    return this.ctx.thread
  }

  #decide(request: ChargeRequest): ChargeResult {
    const existing = this.#charged.get(request.orderId)
    if (existing !== undefined) return { ok: true, transactionId: existing }
    const behaviour = this.#cards[request.card]
    if (behaviour === undefined) return { ok: false, reason: `unknown card "${request.card}"` }
    const attempt = (this.#attempts.get(request.orderId) ?? 0) + 1
    this.#attempts.set(request.orderId, attempt)
    if (behaviour.failures === 'always') return { ok: false, reason: 'issuer unavailable' }
    if (attempt <= behaviour.failures) return { ok: false, reason: 'gateway timeout' }
    const transactionId = `TX-${request.orderId}-${attempt}`
    this.#charged.set(request.orderId, transactionId)
    return { ok: true, transactionId }
  }
}
