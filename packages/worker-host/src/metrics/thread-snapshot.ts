/**
 * What one thread's metrics look like when the main thread collects them (over the control
 * plane, on a scrape): plain data, counted locally on the thread. Counters are cumulative since
 * the thread started; a replacement worker (a new `generation`) counts from zero again.
 */

/** A histogram as plain data: `counts[i]` observations at or below `bounds[i]` and above the bound before; the last count is above every bound. */
export interface HistogramData {
  /** Upper bounds, in seconds, ascending (shared, never changed). */
  readonly bounds: readonly number[]
  /** Not cumulative; one more entry than `bounds` (the +Inf bucket). */
  readonly counts: readonly number[]
  /** Sum of the observed values, in seconds. */
  readonly sum: number
  readonly count: number
}

/** The figures of one actor type (class name) on one thread. */
export interface ActorTypeFigures {
  readonly type: string
  /** Actors of the type alive on the thread now. */
  readonly actors: number
  /** Messages waiting in their mailboxes now. */
  readonly mailboxDepth: number
  /** The deepest mailbox of the type seen so far (read when an actor starts a run of messages). */
  readonly mailboxHighWater: number
  readonly processed: number
  /** Handlers (and lifecycle hooks) that threw or rejected. */
  readonly failed: number
  readonly started: number
  readonly stopped: number
  readonly restarted: number
  /** Handler durations of the sampled messages (one in `metrics.sampleEvery`). */
  readonly handlerSeconds: HistogramData
}

/** One of the thread's deepest mailboxes. */
export interface MailboxFigure {
  readonly id: number
  readonly name: string | undefined
  readonly type: string
  readonly depth: number
}

export interface ThreadSnapshot {
  readonly thread: number
  readonly generation: number
  readonly actors: number
  readonly processed: number
  readonly mailboxDepth: number
  /** Event-loop time since the thread started, in ms (cumulative). */
  readonly eventLoop: { readonly active: number; readonly idle: number }
  /** Asks made from this thread: time until their answer (or failure), and how many timed out. */
  readonly asks: { readonly latencySeconds: HistogramData; readonly timedOut: number }
  readonly types: readonly ActorTypeFigures[]
  /** The deepest mailboxes of the thread, deepest first (at most `LARGEST_MAILBOXES`). */
  readonly largestMailboxes: readonly MailboxFigure[]
  /**
   * Whether the thread counts per message (`metrics` option): without it, the per-type counters
   * and histograms stay at zero and only actors and mailbox depths are real.
   */
  readonly counting: boolean
  /** When it was taken: ms since the Unix epoch. */
  readonly sampledAt: number
}

/** How many of a thread's deepest mailboxes a snapshot lists. */
export const LARGEST_MAILBOXES = 10
