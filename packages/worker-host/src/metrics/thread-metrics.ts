import { performance } from 'node:perf_hooks'
import { ASK_BOUNDS, HANDLER_BOUNDS, LocalHistogram } from './local-histogram.js'
import { LARGEST_MAILBOXES, type ActorTypeFigures, type MailboxFigure, type ThreadSnapshot } from './thread-snapshot.js'

/** What the snapshot reads of one actor on the thread. */
export interface CountedCell {
  readonly id: number
  /** The set of message names of the actor's class: one object per class, so it keys the type. */
  readonly handlers: ReadonlySet<string>
  readonly self: { readonly name: string | undefined }
  readonly mailbox: { readonly length: number }
  /** The class name, read when the type is first seen. */
  typeName(): string
}

/** The counters of one actor type (class) on this thread. */
export class TypeCounters {
  processed = 0
  failed = 0
  started = 0
  stopped = 0
  restarted = 0
  highWater = 0
  readonly handler = new LocalHistogram(HANDLER_BOUNDS)

  constructor(readonly type: string) {}
}

/** What the snapshot reads of the thread besides its actors. */
export interface SnapshotSources {
  readonly thread: number
  readonly generation: number
  readonly processed: number
  cells(): Iterable<CountedCell>
}

/**
 * One thread's metrics, counted where they happen and read by the main thread on a scrape (over
 * the control plane): nothing here crosses threads per message. With `counting` off (the system
 * was started without `metrics`), only what a snapshot can read from the actors themselves is
 * reported: actors and mailbox depths per type, and the thread's totals.
 */
export class ThreadMetrics {
  readonly #types = new Map<ReadonlySet<string>, TypeCounters>()
  readonly askLatency = new LocalHistogram(ASK_BOUNDS)
  asksTimedOut = 0
  /** Messages left until the next one is timed (see `metrics.sampleEvery`). */
  countdown: number

  constructor(
    readonly counting: boolean,
    readonly sampleEvery: number,
  ) {
    this.countdown = sampleEvery
  }

  /** The counters of `cell`'s type, made on first sight. */
  typeOf(cell: CountedCell): TypeCounters {
    let counters = this.#types.get(cell.handlers)
    if (counters === undefined) {
      counters = new TypeCounters(cell.typeName())
      this.#types.set(cell.handlers, counters)
    }
    return counters
  }

  /** An ask got its answer or failed after `elapsedMs`. */
  askSettled(elapsedMs: number): void {
    this.askLatency.observe(elapsedMs / 1000)
  }

  snapshot(sources: SnapshotSources): ThreadSnapshot {
    const live = new Map<TypeCounters, { actors: number; depth: number }>()
    const largest: MailboxFigure[] = []
    let actors = 0
    let mailboxDepth = 0
    for (const cell of sources.cells()) {
      const counters = this.typeOf(cell)
      const depth = cell.mailbox.length
      let figures = live.get(counters)
      if (figures === undefined) live.set(counters, (figures = { actors: 0, depth: 0 }))
      figures.actors++
      figures.depth += depth
      actors++
      mailboxDepth += depth
      if (depth > 0) keepLargest(largest, { id: cell.id, name: cell.self.name, type: counters.type, depth })
    }
    // Two classes of one name (from two modules) are one type to an operator: their figures add up.
    const byName = new Map<string, ActorTypeFigures>()
    for (const counters of this.#types.values()) {
      const figures = live.get(counters) ?? { actors: 0, depth: 0 }
      const mine = typeFigures(counters, figures.actors, figures.depth)
      const other = byName.get(counters.type)
      byName.set(counters.type, other === undefined ? mine : addFigures(other, mine))
    }
    const { active, idle } = performance.eventLoopUtilization()
    return {
      thread: sources.thread,
      generation: sources.generation,
      actors,
      processed: sources.processed,
      mailboxDepth,
      eventLoop: { active, idle },
      asks: { latencySeconds: this.askLatency.data(), timedOut: this.asksTimedOut },
      types: [...byName.values()],
      largestMailboxes: largest,
      counting: this.counting,
      sampledAt: performance.timeOrigin + performance.now(),
    }
  }
}

function typeFigures(counters: TypeCounters, actors: number, mailboxDepth: number): ActorTypeFigures {
  return {
    type: counters.type,
    actors,
    mailboxDepth,
    mailboxHighWater: Math.max(counters.highWater, mailboxDepth),
    processed: counters.processed,
    failed: counters.failed,
    started: counters.started,
    stopped: counters.stopped,
    restarted: counters.restarted,
    handlerSeconds: counters.handler.data(),
  }
}

function addFigures(a: ActorTypeFigures, b: ActorTypeFigures): ActorTypeFigures {
  return {
    type: a.type,
    actors: a.actors + b.actors,
    mailboxDepth: a.mailboxDepth + b.mailboxDepth,
    mailboxHighWater: Math.max(a.mailboxHighWater, b.mailboxHighWater),
    processed: a.processed + b.processed,
    failed: a.failed + b.failed,
    started: a.started + b.started,
    stopped: a.stopped + b.stopped,
    restarted: a.restarted + b.restarted,
    handlerSeconds: {
      bounds: a.handlerSeconds.bounds,
      counts: a.handlerSeconds.counts.map((count, i) => count + b.handlerSeconds.counts[i]!),
      sum: a.handlerSeconds.sum + b.handlerSeconds.sum,
      count: a.handlerSeconds.count + b.handlerSeconds.count,
    },
  }
}

/** Keeps the `LARGEST_MAILBOXES` deepest, deepest first (a short insertion: the list stays tiny). */
function keepLargest(largest: MailboxFigure[], figure: MailboxFigure): void {
  if (largest.length === LARGEST_MAILBOXES && largest[largest.length - 1]!.depth >= figure.depth) return
  let i = largest.length
  while (i > 0 && largest[i - 1]!.depth < figure.depth) i--
  largest.splice(i, 0, figure)
  if (largest.length > LARGEST_MAILBOXES) largest.pop()
}
