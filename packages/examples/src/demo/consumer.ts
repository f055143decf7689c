import { Actor, type ActorLifecycle, type ActorRef, type DeferredReply } from 'troupe'
import { isRecordAnswer, type ChunkAnswer, type Health } from './answers.js'
import { chunkOf, firstOfChunk } from './chunks.js'
import type { Ledger } from './ledger.js'

export interface ConsumerSettings {
  readonly pipeline: number
  readonly chunkSize: number
}

/** The chunk being received: how far it got without a gap. */
type OpenChunk = { chunk: number; next: number; count: number; sum: number }

/**
 * Takes one pipeline's values and vouches for whole chunks. A chunk counts only if its values
 * all arrived here, in order, since the chunk's first value: a consumer restarted mid-chunk (or
 * one whose worker lost the head of a chunk) has not seen them and says "incomplete", so the
 * producer sends the chunk again. A complete chunk is recorded in the ledger before it is
 * acknowledged, so an acknowledged chunk can never be lost.
 */
export class Consumer extends Actor<Consumer> implements ActorLifecycle {
  readonly #ledger: ActorRef<Ledger>
  readonly #settings: ConsumerSettings
  #open: OpenChunk | undefined
  #restarted = false

  constructor(ledger: ActorRef<Ledger>, settings: ConsumerSettings) {
    super()
    this.#ledger = ledger
    this.#settings = settings
  }

  onRestart(): void {
    this.#restarted = true
  }

  take(seq: number): void {
    const size = this.#settings.chunkSize
    const open = this.#open
    if (seq % size === 0) {
      // A chunk's first value opens it, even over an unfinished one: a producer that sends a
      // chunk again always starts from its first value.
      this.#open = { chunk: chunkOf(seq, size), next: seq + 1, count: 1, sum: seq }
    } else if (open !== undefined && seq === open.next) {
      open.next++
      open.count++
      open.sum += seq
    } else {
      // A gap (values lost with a worker) or a value of a chunk whose head we never saw.
      this.#open = undefined
    }
  }

  /**
   * The producer's "that was chunk k; did you get it?". Per-sender FIFO puts this behind every
   * value of the chunk. The reply is deferred until the ledger has the chunk, and the ledger is
   * asked through `pipeToSelf`, so values of the next chunks keep flowing in meanwhile.
   */
  endOfChunk(chunk: number): DeferredReply<ChunkAnswer> {
    const { pipeline, chunkSize } = this.#settings
    const reply = this.ctx.deferReply<ChunkAnswer>()
    const open = this.#open
    this.#open = undefined
    const complete = open !== undefined && open.chunk === chunk && open.count === chunkSize && open.next === firstOfChunk(chunk + 1, chunkSize)
    if (!complete) {
      reply.resolve({ kind: 'chunk', pipeline, chunk, status: 'incomplete' })
      return reply
    }
    this.ctx.pipeToSelf(
      this.#ledger.ask.record(pipeline, chunk, open.count, open.sum),
      (answer) => reply.resolve({ kind: 'chunk', pipeline, chunk, status: isRecordAnswer(answer, pipeline, chunk) ? 'committed' : 'unrecorded' }),
      () => reply.resolve({ kind: 'chunk', pipeline, chunk, status: 'unrecorded' }),
    )
    return reply
  }

  ping(): Health {
    return { kind: 'health', thread: this.ctx.thread, restarted: this.#restarted }
  }
}
