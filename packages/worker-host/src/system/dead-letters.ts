import type { DeadLetterReason } from '@troupe/core'
import { RECEIVE } from '@troupe/core/internal'
import type { DeadLetterRecord } from '../host/host.js'
import { Topic, type Subscribable } from '../util/topic.js'
import { deadLetterChannel } from '../diagnostics/channels.js'

/** A message that no actor will process. */
export interface DeadLetter {
  /** Id of the actor it was sent to. */
  readonly recipient: number
  /** Id of the sending actor, when it was sent from inside one. */
  readonly sender: number | undefined
  readonly reason: DeadLetterReason
  /** The method called, for a method message; `undefined` for a `receive` message. */
  readonly method: string | undefined
  /** The `receive` message, or the method's argument array. */
  readonly message: unknown
}

/** `system.deadLetters`: every undeliverable tell on every thread ends up here, counted. */
export interface DeadLetters extends Subscribable<DeadLetter> {
  /** Dead letters since the system started. */
  readonly count: number
  /** Counts by reason. */
  readonly countsByReason: Readonly<Partial<Record<DeadLetterReason, number>>>
}

export class DeadLetterOffice implements DeadLetters {
  readonly #topic = new Topic<DeadLetter>()
  readonly #byReason: Partial<Record<DeadLetterReason, number>> = {}
  #count = 0

  get count(): number {
    return this.#count
  }

  get countsByReason(): Readonly<Partial<Record<DeadLetterReason, number>>> {
    return { ...this.#byReason }
  }

  subscribe(listener: (letter: DeadLetter) => void): () => void {
    return this.#topic.subscribe(listener)
  }

  readonly post = (record: DeadLetterRecord): void => {
    this.#count++
    this.#byReason[record.reason] = (this.#byReason[record.reason] ?? 0) + 1
    const isReceive = record.selector === RECEIVE
    const letter: DeadLetter = {
      recipient: record.recipient,
      sender: record.sender?.id,
      reason: record.reason,
      method: isReceive || typeof record.selector !== 'string' ? undefined : record.selector,
      message: record.body,
    }
    this.#topic.publish(letter)
    if (deadLetterChannel.hasSubscribers) deadLetterChannel.publish(letter)
  }
}
