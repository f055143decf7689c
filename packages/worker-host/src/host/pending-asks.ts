import { AskTimeoutError, WorkerCrashedError } from '@troupe/core'
import { realClock, type Clock, type Timer } from '../clock/clock.js'
import { Deque, RECEIVE, describeRef, fromWireError, type Selector, type WireError } from '@troupe/core/internal'
import { REPLY_OK, type ReplyStatus } from '../protocol/wire.js'

interface PendingAsk {
  readonly correlation: number
  /** The thread the answer will come from: if it dies, the ask fails at once. */
  thread: number
  readonly deadline: number
  readonly bucket: DeadlineBucket
  /** What its timeout error names (fields, not a closure per ask). */
  readonly target: AskTarget
  readonly selector: Selector
  resolve: ((value: unknown) => void) | undefined
  reject: ((error: Error) => void) | undefined
}

/** The actor an ask went to, as its timeout error names it. */
export interface AskTarget {
  readonly id: number
  readonly name: string | undefined
}

/** How an error names a message's selector. */
export const selectorName = (selector: Selector): string => (typeof selector === 'string' ? selector : selector === RECEIVE ? 'receive' : 'system message')

/** Asks with one timeout value: deadlines are then in insertion order, so a FIFO suffices. */
interface DeadlineBucket {
  readonly timeoutMs: number
  readonly queue: Deque<PendingAsk>
  live: number
}

/** What a thread's metrics learn of its asks. */
export interface AskObserver {
  /** An ask was answered, failed or timed out after `elapsedMs` (on the host's clock). */
  askSettled(elapsedMs: number): void
  asksTimedOut: number
}

/**
 * Replies addressed to a worker that died are delivered to its replacement (channels keep what
 * was sent to a dead thread). Each generation of a thread numbers its asks in its own range, so
 * such a stale reply matches no ask of the replacement and is ignored. 2^40 asks per generation;
 * ranges repeat after 8 192 replacements of one slot, which stay clear of 2^53.
 */
export function firstCorrelation(generation: number): number {
  return 1 + (generation % 8192) * 2 ** 40
}

/** Past this length, a bucket mostly made of settled asks is compacted. */
const COMPACT_AT = 1024

/**
 * The asks this thread is waiting on, keyed by correlation id, each with a deadline.
 *
 * One timer serves every ask: asks are grouped by timeout value, so within a group deadlines
 * arrive in order and the timer only needs the earliest head. A per-ask `setTimeout` would cost
 * more than the rest of an ask on the pipelined path.
 */
export class PendingAsks {
  #nextCorrelation: number
  readonly #byCorrelation = new Map<number, PendingAsk>()
  readonly #buckets = new Map<number, DeadlineBucket>()
  #timer: Timer | undefined
  #timerAt = Infinity

  /**
   * `firstCorrelation`: where this thread's numbering starts (see `firstCorrelation()`).
   * `observer`: told how long each ask took and which timed out (metrics on).
   */
  constructor(
    firstCorrelation = 1,
    private readonly observer?: AskObserver,
    private readonly clock: Clock = realClock,
  ) {
    this.#nextCorrelation = firstCorrelation
  }

  get size(): number {
    return this.#byCorrelation.size
  }

  /** Whether the ask (or send) `correlation` still waits for its answer. */
  has(correlation: number): boolean {
    return this.#byCorrelation.has(correlation)
  }

  /** A correlation id for the next ask (or send), to `create` it with. */
  reserve(): number {
    return this.#nextCorrelation++
  }

  /** Registers the ask `correlation` (from `reserve`); returns the promise its reply settles. */
  create(correlation: number, thread: number, timeoutMs: number, target: AskTarget, selector: Selector): Promise<unknown> {
    const bucket = this.#bucket(timeoutMs)
    let ask!: PendingAsk
    const promise = new Promise<unknown>((resolve, reject) => {
      ask = { correlation, thread, deadline: this.clock.now() + timeoutMs, bucket, target, selector, resolve, reject }
    })
    this.#byCorrelation.set(correlation, ask)
    bucket.queue.push(ask)
    bucket.live++
    this.#prune(bucket)
    if (ask.deadline < this.#timerAt) this.#arm(ask.deadline)
    return promise
  }

  /** Settles an ask from a reply frame. Replies to unknown ids (already timed out) are ignored. */
  settle(correlation: number, status: ReplyStatus, value: unknown): void {
    const ask = this.#take(correlation)
    if (!ask) return
    if (status === REPLY_OK) ask.resolve?.(value)
    else ask.reject?.(fromWireError(value as WireError))
    ask.resolve = ask.reject = undefined
  }

  /** Rejects one ask with a local error (e.g. its message turned out undeliverable). */
  fail(correlation: number, error: Error): void {
    const ask = this.#take(correlation)
    ask?.reject?.(error)
    if (ask) ask.resolve = ask.reject = undefined
  }

  /** A router passed the ask on: its answer now depends on `thread`. */
  rehome(correlation: number, thread: number): void {
    const ask = this.#byCorrelation.get(correlation)
    if (ask) ask.thread = thread
  }

  /** Rejects every ask waiting on `thread`, at once: its worker died, no reply can come. */
  failThread(thread: number, reason: string): void {
    for (const ask of [...this.#byCorrelation.values()]) {
      if (ask.thread === thread) this.fail(ask.correlation, new WorkerCrashedError(thread, reason))
    }
  }

  /** Fails every ask waiting on one of `threads` (link-table numbers) with `error()`. */
  failThreads(threads: ReadonlySet<number>, error: () => Error): void {
    if (threads.size === 0) return
    for (const ask of [...this.#byCorrelation.values()]) {
      if (threads.has(ask.thread)) this.fail(ask.correlation, error())
    }
  }

  failAll(error: () => Error): void {
    for (const ask of [...this.#byCorrelation.values()]) this.fail(ask.correlation, error())
    this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#timerAt = Infinity
  }

  #take(correlation: number): PendingAsk | undefined {
    const ask = this.#byCorrelation.get(correlation)
    if (!ask) return undefined
    this.#byCorrelation.delete(correlation)
    ask.bucket.live--
    this.observer?.askSettled(this.clock.now() - (ask.deadline - ask.bucket.timeoutMs))
    return ask
  }

  #bucket(timeoutMs: number): DeadlineBucket {
    let bucket = this.#buckets.get(timeoutMs)
    if (!bucket) {
      bucket = { timeoutMs, queue: new Deque<PendingAsk>(), live: 0 }
      this.#buckets.set(timeoutMs, bucket)
    }
    return bucket
  }

  /** Drops settled asks from the head, and compacts a bucket that is mostly settled. */
  #prune(bucket: DeadlineBucket): void {
    const { queue } = bucket
    while (queue.length > 0 && !this.#byCorrelation.has(queue.peek()!.correlation)) queue.shift()
    if (queue.length > COMPACT_AT && queue.length > 2 * bucket.live) {
      const live = queue.drain().filter((ask) => this.#byCorrelation.has(ask.correlation))
      for (const ask of live) queue.push(ask)
    }
  }

  #arm(at: number): void {
    this.clock.clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = this.clock.setTimeout(this.#expire, Math.max(0, Math.ceil(at - this.clock.now())), true)
  }

  readonly #expire = (): void => {
    this.#timer = undefined
    this.#timerAt = Infinity
    const now = this.clock.now()
    let next = Infinity
    for (const bucket of this.#buckets.values()) {
      const { queue } = bucket
      for (let ask = queue.peek(); ask !== undefined; ask = queue.peek()) {
        if (!this.#byCorrelation.has(ask.correlation)) {
          queue.shift()
          continue
        }
        if (ask.deadline > now) {
          next = Math.min(next, ask.deadline)
          break
        }
        queue.shift()
        if (this.observer !== undefined) this.observer.asksTimedOut++
        this.fail(ask.correlation, new AskTimeoutError(describeRef(ask.target), selectorName(ask.selector), bucket.timeoutMs))
      }
      if (queue.length === 0) this.#buckets.delete(bucket.timeoutMs)
    }
    if (next !== Infinity) this.#arm(next)
  }
}
