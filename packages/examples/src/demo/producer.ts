import { Actor, type ActorLifecycle, type ActorRef, type DeferredReply } from 'troupe'
import { isChunkAnswer, isPosition, type Health, type Position } from './answers.js'
import { firstOfChunk } from './chunks.js'
import type { Consumer } from './consumer.js'
import type { Ledger } from './ledger.js'
import { emptyResends, resendReason, type ResendReason, type Resends } from './resend-reason.js'

export interface ProducerSettings {
  readonly pipeline: number
  /** Values per chunk, one tell each. */
  readonly chunkSize: number
  /** Chunks sent but not yet acknowledged; bounds the consumer's mailbox at chunkSize × window. */
  readonly window: number
  /** Deadline of an `endOfChunk` ask: a chunk unanswered by then is sent again. */
  readonly ackTimeoutMs: number
}

export interface ProducerReport {
  readonly pipeline: number
  readonly thread: number
  /** Chunks 0 .. frontier − 1 have been sent and acknowledged as committed. */
  readonly frontier: number
  readonly restarted: boolean
  /** Where this instance started, per the ledger (0 for a first start). */
  readonly resumedAt: Position | undefined
  /** Chunks this instance sent again, by why. */
  readonly resends: Resends
}

/** Attempts at reading the ledger's position before giving up (only stray replies can spoil one). */
const POSITION_ATTEMPTS = 5

/**
 * Streams one pipeline's chunks to its consumer, keeping `window` chunks unacknowledged. Every
 * chunk ends with an `endOfChunk` ask; a chunk whose ask fails, or whose answer is not
 * "committed", is sent again, lowest chunk first. A chunk is generated from its number, so
 * nothing needs to be kept to send it again. A restarted producer reads from the ledger which
 * chunks are committed, sends the missing ones and goes on from there.
 */
export class Producer extends Actor<Producer> implements ActorLifecycle {
  readonly #consumer: ActorRef<Consumer>
  readonly #ledger: ActorRef<Ledger>
  readonly #settings: ProducerSettings
  /** The next chunk never sent by this instance. */
  #next = 0
  readonly #unacknowledged = new Set<number>()
  /** Chunks to send again, kept in ascending order. */
  #resend: number[] = []
  #streaming = false
  #restarted = false
  #resumedAt: Position | undefined
  readonly #resends = emptyResends()
  readonly #finishing: DeferredReply<ProducerReport>[] = []

  constructor(consumer: ActorRef<Consumer>, ledger: ActorRef<Ledger>, settings: ProducerSettings) {
    super()
    this.#consumer = consumer
    this.#ledger = ledger
    this.#settings = settings
  }

  onRestart(): void {
    this.#restarted = true
  }

  /**
   * A restarted producer lost its state with its worker: the ledger says where the pipeline
   * stands. Messages wait while onStart runs, so nothing is sent before that is known. Then it
   * streams again at once: it was only ever restarted because it was streaming.
   */
  async onStart(): Promise<void> {
    if (!this.#restarted) return
    const position = await this.#readPosition()
    this.#resumedAt = position
    this.#next = position.frontier
    this.#resend = [...position.missing]
    this.#streaming = true
    this.#pump()
  }

  start(): void {
    this.#streaming = true
    this.#pump()
  }

  /**
   * Sends no new chunk from now on, and answers once every chunk sent is committed: then the
   * ledger holds exactly chunks 0 .. frontier − 1 of this pipeline. Deferred, because the
   * acknowledgements it waits for are messages of this very actor.
   */
  finish(): DeferredReply<ProducerReport> {
    this.#streaming = false
    const reply = this.ctx.deferReply<ProducerReport>()
    this.#finishing.push(reply)
    this.#pump()
    return reply
  }

  ping(): Health {
    return { kind: 'health', thread: this.ctx.thread, restarted: this.#restarted }
  }

  /** Fills the window: chunks to send again first (lowest first), then new ones while streaming. */
  #pump(): void {
    while (this.#unacknowledged.size < this.#settings.window) {
      const chunk = this.#resend.shift() ?? (this.#streaming ? this.#next++ : undefined)
      if (chunk === undefined) break
      this.#send(chunk)
    }
    if (this.#unacknowledged.size === 0 && this.#finishing.length > 0) {
      const report = this.#report()
      for (const reply of this.#finishing.splice(0)) reply.resolve(report)
    }
  }

  #send(chunk: number): void {
    const { chunkSize, ackTimeoutMs } = this.#settings
    const consumer = this.#consumer
    const end = firstOfChunk(chunk + 1, chunkSize)
    for (let seq = firstOfChunk(chunk, chunkSize); seq < end; seq++) consumer.tell.take(seq)
    this.#unacknowledged.add(chunk)
    this.ctx.pipeToSelf(
      consumer.with({ timeoutMs: ackTimeoutMs }).ask.endOfChunk(chunk),
      (answer) => {
        if (!isChunkAnswer(answer, this.#settings.pipeline, chunk)) this.#sendAgain(chunk, 'stray-reply')
        else if (answer.status === 'committed') this.#acknowledged(chunk)
        else this.#sendAgain(chunk, answer.status)
      },
      (error) => this.#sendAgain(chunk, resendReason(error)),
    )
  }

  #acknowledged(chunk: number): void {
    this.#unacknowledged.delete(chunk)
    this.#pump()
  }

  #sendAgain(chunk: number, reason: ResendReason): void {
    this.#unacknowledged.delete(chunk)
    this.#resends[reason]++
    const at = this.#resend.findIndex((queued) => queued > chunk)
    this.#resend.splice(at === -1 ? this.#resend.length : at, 0, chunk)
    this.#pump()
  }

  async #readPosition(): Promise<Position> {
    const { pipeline } = this.#settings
    for (let attempt = 1; attempt <= POSITION_ATTEMPTS; attempt++) {
      const answer: unknown = await this.#ledger.ask.position(pipeline)
      if (isPosition(answer, pipeline)) return answer
    }
    throw new Error(`pipeline ${pipeline}: the ledger's position came back as something else ${POSITION_ATTEMPTS} times`)
  }

  #report(): ProducerReport {
    return {
      pipeline: this.#settings.pipeline,
      thread: this.ctx.thread,
      frontier: this.#next,
      restarted: this.#restarted,
      resumedAt: this.#resumedAt,
      resends: { ...this.#resends },
    }
  }
}
