import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import type { Consumer } from './consumer.js'
import { replyLater } from './reply-later.js'

export interface ProducerSettings {
  /** Values sent per handler call. */
  readonly chunkSize: number
  /** Chunks sent but not yet acknowledged; bounds the consumer's mailbox at chunkSize × window. */
  readonly window: number
}

export interface ProducerTotals {
  readonly count: number
  readonly sum: number
  readonly thread: number
}

/**
 * Streams sequence numbers 0, 1, 2, … to its consumer in chunks, keeping at most `window`
 * chunks unacknowledged so that a fast producer cannot flood a slower consumer's mailbox.
 */
export class Producer extends Actor<Producer> {
  #nextSeq = 0
  #sum = 0
  #inFlight = 0
  #finishing: DeferredReply<ProducerTotals> | undefined

  constructor(
    private readonly consumer: ActorRef<Consumer>,
    private readonly settings: ProducerSettings,
  ) {
    super()
  }

  start(): void {
    while (this.#inFlight < this.settings.window) this.#sendChunk()
  }

  /** The consumer took a whole chunk: there is room in the window for another. */
  chunkDone(): void {
    this.#inFlight--
    if (this.#finishing === undefined) this.#sendChunk()
    else if (this.#inFlight === 0) this.#finishing.resolve(this.#totals())
  }

  /**
   * Stops sending. Answers once the consumer has acknowledged every chunk, so the totals it
   * returns are final on both sides. The reply is deferred: the actor must keep processing
   * `chunkDone` acknowledgements while the ask is pending.
   */
  finish(): ProducerTotals {
    this.#finishing = this.ctx.deferReply<ProducerTotals>()
    if (this.#inFlight === 0) this.#finishing.resolve(this.#totals())
    return replyLater<ProducerTotals>()
  }

  #sendChunk(): void {
    const consumer = this.consumer
    const end = this.#nextSeq + this.settings.chunkSize
    let sum = this.#sum
    for (let seq = this.#nextSeq; seq < end; seq++) {
      consumer.tell.take(seq)
      sum += seq
    }
    this.#nextSeq = end
    this.#sum = sum
    this.#inFlight++
    consumer.tell.endOfChunk(this.ctx.self)
  }

  #totals(): ProducerTotals {
    return { count: this.#nextSeq, sum: this.#sum, thread: this.ctx.thread }
  }
}
