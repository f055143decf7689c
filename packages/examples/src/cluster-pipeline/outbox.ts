import { Actor, type DeferredReply } from 'troupe'

export interface SentMail {
  readonly user: string
  readonly email: string
  /** The node whose handler sent it, and on which attempt. */
  readonly node: string
  readonly attempt: number
}

export interface OutboxSnapshot {
  readonly sent: readonly SentMail[]
  /** Sends refused because this user's welcome mail was already sent. */
  readonly duplicates: readonly SentMail[]
}

/**
 * The mail provider's record, on node a: one welcome mail per user id, like a provider that
 * takes an idempotency key. A job can run twice (a double registration, a redelivery), and the
 * second send changes nothing.
 */
export class Outbox extends Actor {
  readonly #sent = new Map<string, SentMail>()
  readonly #duplicates: SentMail[] = []
  #waiting: Array<{ readonly count: number; readonly reply: DeferredReply<OutboxSnapshot> }> = []

  send(mail: SentMail): 'sent' | 'duplicate' {
    if (this.#sent.has(mail.user)) {
      this.#duplicates.push(mail)
      return 'duplicate'
    }
    this.#sent.set(mail.user, mail)
    const ready = this.#waiting.filter((w) => this.#sent.size >= w.count)
    this.#waiting = this.#waiting.filter((w) => this.#sent.size < w.count)
    for (const { reply } of ready) reply.resolve(this.snapshot())
    return 'sent'
  }

  snapshot(): OutboxSnapshot {
    return { sent: [...this.#sent.values()], duplicates: [...this.#duplicates] }
  }

  /** Answers once `count` users have their mail. */
  whenSent(count: number): DeferredReply<OutboxSnapshot> {
    const reply = this.ctx.deferReply<OutboxSnapshot>()
    if (this.#sent.size >= count) reply.resolve(this.snapshot())
    else this.#waiting.push({ count, reply })
    return reply
  }
}
