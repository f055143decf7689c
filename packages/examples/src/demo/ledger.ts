import { Actor, type DeferredReply } from 'troupe'
import type { Position, RecordAnswer } from './answers.js'
import { ChunkBook, type PipelineLedger } from './chunk-book.js'

export interface LedgerReport {
  readonly thread: number
  readonly pipelines: readonly PipelineLedger[]
}

type Waiter = { readonly chunks: number; readonly reply: DeferredReply<number> }

/**
 * The source of truth, on the main thread (which never crashes with a worker): which chunks of
 * which pipeline are committed. Consumers record a chunk here before they acknowledge it, and
 * a restarted producer asks here where its pipeline stands.
 */
export class Ledger extends Actor<Ledger> {
  readonly #books: ChunkBook[]
  readonly #waiters = new Map<number, Waiter[]>()

  constructor(pipelines: number, chunkSize: number) {
    super()
    this.#books = Array.from({ length: pipelines }, (_, pipeline) => new ChunkBook(pipeline, chunkSize))
  }

  /** Idempotent per (pipeline, chunk): a second record of a chunk is a retransmission, counted once. */
  record(pipeline: number, chunk: number, count: number, sum: number): RecordAnswer {
    const book = this.#book(pipeline)
    const recorded = book.record(chunk, count, sum)
    if (recorded) this.#wake(book)
    return { kind: 'record', pipeline, chunk, status: recorded ? 'recorded' : 'duplicate' }
  }

  position(pipeline: number): Position {
    const book = this.#book(pipeline)
    return { kind: 'position', pipeline, frontier: book.frontier, missing: book.missing() }
  }

  /** Chunks recorded so far, per pipeline. */
  committed(): number[] {
    return this.#books.map((book) => book.chunks)
  }

  /** Answers once `pipeline` holds at least `chunks` chunks (with the number it holds then). */
  whenCommitted(pipeline: number, chunks: number): DeferredReply<number> {
    const book = this.#book(pipeline)
    const reply = this.ctx.deferReply<number>()
    if (book.chunks >= chunks) reply.resolve(book.chunks)
    else this.#waiters.set(pipeline, [...(this.#waiters.get(pipeline) ?? []), { chunks, reply }])
    return reply
  }

  report(): LedgerReport {
    return { thread: this.ctx.thread, pipelines: this.#books.map((book) => book.summary()) }
  }

  #book(pipeline: number): ChunkBook {
    const book = this.#books[pipeline]
    if (book === undefined) throw new RangeError(`no pipeline ${pipeline} (the ledger has ${this.#books.length})`)
    return book
  }

  #wake(book: ChunkBook): void {
    const waiters = this.#waiters.get(book.pipeline)
    if (waiters === undefined) return
    const still = waiters.filter((waiter) => {
      if (book.chunks < waiter.chunks) return true
      waiter.reply.resolve(book.chunks)
      return false
    })
    if (still.length === 0) this.#waiters.delete(book.pipeline)
    else this.#waiters.set(book.pipeline, still)
  }
}
