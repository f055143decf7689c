import { Actor, type DeferredReply } from 'troupe'
import type { StatusChange, StatusEvent } from './types.js'

/**
 * Hears every status transition and keeps them as a numbered feed. Readers follow the feed with
 * `feed(cursor)`, a long poll: it answers at once when there are events past the cursor, and
 * otherwise defers its reply until the next one arrives, without blocking the notifier.
 */
export class Notifier extends Actor {
  /** Times are counted from the first event, so a feed reads from +0 ms. */
  #started: number | undefined
  readonly #events: StatusEvent[] = []
  #waiting: Array<{ readonly cursor: number; readonly reply: DeferredReply<StatusEvent[]> }> = []

  statusChanged(change: StatusChange): void {
    const now = Date.now()
    this.#started ??= now
    this.#events.push({ ...change, seq: this.#events.length, atMs: now - this.#started })
    const waiting = this.#waiting
    this.#waiting = []
    for (const { cursor, reply } of waiting) reply.resolve(this.#events.slice(cursor))
  }

  /** Events from `cursor` on; waits for the next one when there are none yet. */
  feed(cursor: number): DeferredReply<StatusEvent[]> {
    const reply = this.ctx.deferReply<StatusEvent[]>()
    if (cursor < this.#events.length) reply.resolve(this.#events.slice(cursor))
    else this.#waiting.push({ cursor, reply })
    return reply
  }

  historyOf(orderId: number): StatusEvent[] {
    return this.#events.filter((event) => event.orderId === orderId)
  }

  thread(): number {
    return this.ctx.thread
  }
}
