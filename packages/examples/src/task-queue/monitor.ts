import { Actor, type ActorRef, type Cancellable, type DeferredReply } from 'troupe'
import type { ResultAggregator } from './aggregator.js'
import type { TaskMaster } from './master.js'
import { monitorTable, stamp } from './table.js'

/** Lines from `cursor` on; `closed` once the monitor has printed its last table. */
export interface MonitorFeed {
  readonly lines: string[]
  readonly next: number
  readonly closed: boolean
}

/**
 * Every `intervalMs`, asks the master and the aggregator for a snapshot and renders the live
 * table. It prints to a feed rather than to a console, so whoever runs the example decides where
 * lines go: `feed(cursor)` is a long poll that answers when there are lines past the cursor.
 *
 * Its clock is `ctx.schedule`, re-armed after each table rather than a `setInterval`: each tick
 * runs as a message of this actor, and a slow snapshot delays the next tick instead of
 * overlapping it.
 */
export class Monitor extends Actor {
  readonly #master: ActorRef<TaskMaster>
  readonly #aggregator: ActorRef<ResultAggregator>
  readonly #intervalMs: number
  readonly #lines: string[] = []
  /** The next tick; cancelled by `finish`, so nothing ticks after the last table. */
  #next: Cancellable | undefined
  #readers: Array<{ readonly cursor: number; readonly reply: DeferredReply<MonitorFeed> }> = []
  #startedAt = Date.now()
  #running = false
  /** `finish` was called: no more ticks. */
  #stopping = false
  /** The last table is printed: readers get what is left and hear that the feed is closed. */
  #closed = false
  #tables = 0

  constructor(master: ActorRef<TaskMaster>, aggregator: ActorRef<ResultAggregator>, intervalMs: number) {
    super()
    this.#master = master
    this.#aggregator = aggregator
    this.#intervalMs = intervalMs
  }

  /** Starts ticking; times are printed from `startedAt` (epoch ms). */
  start(startedAt: number): void {
    this.#startedAt = startedAt
    if (this.#running || this.#stopping) return
    this.#running = true
    this.#tick()
  }

  /** Prints one last table and closes the feed; answers with the number of tables printed. */
  finish(): DeferredReply<number> {
    const reply = this.ctx.deferReply<number>()
    this.#stopping = true
    this.#next?.cancel()
    this.#render(() => {
      this.#closed = true
      for (const { cursor, reply: reader } of this.#readers) reader.resolve(this.#feedFrom(cursor))
      this.#readers = []
      reply.resolve(this.#tables)
    })
    return reply
  }

  feed(cursor: number): DeferredReply<MonitorFeed> {
    const reply = this.ctx.deferReply<MonitorFeed>()
    if (cursor < this.#lines.length || this.#closed) reply.resolve(this.#feedFrom(cursor))
    else this.#readers.push({ cursor, reply })
    return reply
  }

  #tick(): void {
    this.#render(() => {
      if (!this.#stopping) this.#next = this.ctx.schedule(this.#intervalMs, () => this.#tick())
    })
  }

  /** Takes both snapshots, prints the table, then runs `then` (as a message of this actor). */
  #render(then: () => void): void {
    this.ctx.pipeToSelf(
      Promise.all([this.#master.ask.snapshot(), this.#aggregator.ask.snapshot()]),
      ([queue, pool]) => {
        this.#tables++
        this.#print(monitorTable(stamp(this.#startedAt), queue, pool))
        then()
      },
      (error: unknown) => {
        this.#print([`${stamp(this.#startedAt)} monitor: no snapshot (${error instanceof Error ? error.message : String(error)})`])
        then()
      },
    )
  }

  #print(lines: readonly string[]): void {
    this.#lines.push(...lines)
    const readers = this.#readers
    this.#readers = []
    for (const { cursor, reply } of readers) reply.resolve(this.#feedFrom(cursor))
  }

  #feedFrom(cursor: number): MonitorFeed {
    return { lines: this.#lines.slice(cursor), next: this.#lines.length, closed: this.#closed }
  }
}
