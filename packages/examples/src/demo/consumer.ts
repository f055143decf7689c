import { Actor, type ActorRef } from 'troupe'
import type { Ledger } from './ledger.js'
import type { Producer } from './producer.js'
import type { StreamTotals } from './stream-totals.js'

export interface ConsumerTotals extends StreamTotals {
  /** Values that did not arrive as the next sequence number: lost, duplicated or reordered. */
  readonly outOfOrder: number
  readonly thread: number
}

/** Receives one producer's numbered stream, checks its order, and acknowledges each chunk. */
export class Consumer extends Actor {
  #expected = 0
  #outOfOrder = 0
  #count = 0
  #sum = 0
  #chunkCount = 0
  #chunkSum = 0

  constructor(private readonly ledger: ActorRef<Ledger>) {
    super()
  }

  take(seq: number): void {
    if (seq !== this.#expected) this.#outOfOrder++
    this.#expected = seq + 1
    this.#chunkCount++
    this.#chunkSum += seq
  }

  /** Sent by the producer after a chunk: per-sender FIFO means every value of it has been taken. */
  endOfChunk(producer: ActorRef<Producer>): void {
    this.#count += this.#chunkCount
    this.#sum += this.#chunkSum
    this.ledger.tell.record(this.#chunkCount, this.#chunkSum)
    this.#chunkCount = 0
    this.#chunkSum = 0
    producer.tell.chunkDone()
  }

  totals(): ConsumerTotals {
    return { count: this.#count, sum: this.#sum, outOfOrder: this.#outOfOrder, thread: this.ctx.thread }
  }
}
