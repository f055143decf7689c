import { ActorNotFoundError, ActorStoppedError, SystemShutdownError, type DeadLetterReason } from '@troupe/core'
import { PIPE, checkMessage, toWireError } from '@troupe/core/internal'
import { REPLY_ERROR, REPLY_OK } from '../protocol/wire.js'
import type { LinkTable } from '../transport/link-table.js'
import { reasonCode, type InboundSlab } from '../transport/ledger.js'
import { settle, type Envelope, type Route } from './envelope.js'
import type { DeadLetterRecord } from './host-options.js'
import type { PendingAsks } from './pending-asks.js'

export interface RepliesOptions {
  readonly thread: number
  readonly maxMessageBytes: number
  readonly asks: PendingAsks
  readonly links: LinkTable
  /** Main thread only: where dead letters end up. Workers send theirs to the main thread. */
  readonly deadLetters: ((record: DeadLetterRecord) => void) | undefined
  /** Tells a router that `routee` is done with a message it forwarded (see `Host.routeeDone`). */
  readonly routeeDone: (route: Route, routee: number) => void
  /** Gives a flow-controlled message's credit back to the thread that spent it. */
  readonly creditReturned: (thread: number, target: number) => void
}

/**
 * Where the outcome of a message goes from this thread: the answer to an ask (to an ask waiting
 * here, or over the link to the asker's thread), or, for a message no actor will process, a
 * failed ask, a refusal reported to its sender's ledger, or a dead letter.
 */
export class Replies {
  readonly #options: RepliesOptions
  #closed = false

  constructor(options: RepliesOptions) {
    this.#options = options
  }

  ok(envelope: Envelope, value: unknown): void {
    try {
      checkMessage(value, this.#options.maxMessageBytes)
    } catch (error) {
      this.error(envelope, error)
      return
    }
    // A send carries its correlation negated; the reply uses the asker's (positive) id.
    const correlation = Math.abs(envelope.correlation)
    if (envelope.senderThread === this.#options.thread) this.#options.asks.settle(correlation, REPLY_OK, value)
    else this.#options.links.get(envelope.senderThread).reply(correlation, REPLY_OK, value)
  }

  error(envelope: Envelope, error: unknown): void {
    const correlation = Math.abs(envelope.correlation)
    if (envelope.senderThread === this.#options.thread) {
      this.#options.asks.fail(correlation, error instanceof Error ? error : new Error(String(error)))
    } else {
      this.#options.links.get(envelope.senderThread).reply(correlation, REPLY_ERROR, toWireError(error))
    }
  }

  undeliverable(id: number, envelope: Envelope, reason: DeadLetterReason, error?: Error): void {
    // A router waiting to hear about it must not count it in flight for ever; nor its sender a credit.
    if (envelope.route !== undefined) this.#options.routeeDone(envelope.route, id)
    if (envelope.credit >= 0) this.#options.creditReturned(envelope.credit, id)
    if (envelope.correlation !== 0) {
      settle(envelope)
      this.error(envelope, error ?? undeliverableError(id, reason))
      return
    }
    if (this.#refusedToSender(envelope.ledger, envelope.slot, reason)) return
    settle(envelope)
    this.deadLetter({
      recipient: id,
      sender: envelope.sender === 0 ? undefined : { id: envelope.sender, thread: envelope.senderThread },
      reason,
      selector: envelope.selector,
      // A piped continuation or timer callback is a function: it is reported, not carried.
      body: envelope.selector === PIPE ? undefined : envelope.body,
    })
  }

  /** Records a dead letter: here on the main thread, else sent to it. */
  deadLetter(record: DeadLetterRecord): void {
    if (this.#options.deadLetters) this.#options.deadLetters(record)
    else if (!this.#closed) this.#options.links.get(0).deadLetter(record.recipient, record.sender?.id ?? 0, record.reason, record.selector, record.body)
  }

  /** The host closed: nothing more goes over its links. */
  close(): void {
    this.#closed = true
  }

  /**
   * A tell that came over a link with a ledger is reported by its sender, which still holds it:
   * the reason goes in its byte and a `Settled` frame tells the sender. Reported from here, it
   * could be lost with this thread, or (read from the ledger after a death) reported twice.
   */
  #refusedToSender(ledger: InboundSlab | undefined, slot: number, reason: DeadLetterReason): boolean {
    if (ledger === undefined || !ledger.live || this.#closed) return false
    ledger.bytes[slot] = reasonCode(reason)
    this.#options.links.get(ledger.thread).settled(ledger.id, slot)
    return true
  }
}

function undeliverableError(id: number, reason: DeadLetterReason): Error {
  const actor = `actor#${id}`
  if (reason === 'stopped') return new ActorStoppedError(actor)
  if (reason === 'shutdown') return new SystemShutdownError(`message to ${actor}`)
  return new ActorNotFoundError(actor)
}
