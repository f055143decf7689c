import { Deque } from '../util/deque.js'

/**
 * An actor's queue of pending envelopes. Unbounded FIFO for now; bounded and priority
 * mailboxes implement the same interface.
 */
export interface Mailbox<T> {
  readonly length: number
  enqueue(item: T): void
  dequeue(): T | undefined
  /** Removes everything still queued, oldest first (used when the actor stops). */
  drain(): T[]
}

export class UnboundedMailbox<T> implements Mailbox<T> {
  readonly #queue = new Deque<T>(8)

  get length(): number {
    return this.#queue.length
  }

  enqueue(item: T): void {
    this.#queue.push(item)
  }

  dequeue(): T | undefined {
    return this.#queue.shift()
  }

  drain(): T[] {
    return this.#queue.drain()
  }
}
