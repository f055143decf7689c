import { InvalidOptionError } from '../errors/errors.js'
import { Deque } from '../util/deque.js'

/** Message priority in a priority mailbox; other mailboxes ignore it. */
export type MessagePriority = 'high' | 'normal' | 'low'

/** What a mailbox needs to know about an item. */
export interface MailboxItem {
  /** System messages (stop, death watch) are never dropped, and go first in a priority mailbox. */
  readonly system?: boolean
  readonly priority?: MessagePriority
}

/** The outcome of offering an item to a mailbox. */
export type Offer<T> =
  | { readonly accepted: true; readonly evicted?: T }
  | { readonly accepted: false; readonly parked: boolean }

/**
 * An actor's queue of pending messages. Every kind passes the same conformance suite
 * (`test/mailbox.conformance.test.ts`).
 */
/**
 * Hears that a parked message entered the mailbox (a waiting send is acknowledged then). An
 * object, not a callback, so an actor's cell is its own admitter and holds no closure for it.
 */
export interface MailboxAdmitter<T> {
  admitted(item: T): void
}

export interface Mailbox<T extends MailboxItem> {
  /** Messages waiting to be processed (parked ones excluded). */
  readonly length: number
  /** Messages waiting for room (backpressure). */
  readonly parked: number
  offer(item: T): Offer<T>
  /** The next message; a parked one moves in to take the freed place (reported to `admitter`). */
  dequeue(admitter?: MailboxAdmitter<T>): T | undefined
  /** Puts messages back at the front, in order (unstash). They may exceed the capacity. */
  prepend(items: readonly T[]): void
  /** Removes everything still queued or parked, oldest first (the actor stopped). */
  drain(): T[]
}

/** How an actor's mailbox behaves (spawn option `mailbox`). */
export interface MailboxOptions {
  /** Largest number of waiting messages. Default: unbounded. */
  readonly capacity?: number
  /**
   * What a full mailbox does with a new message:
   * - `'drop-newest'`: drops it (a dead letter, reason `mailbox-full`);
   * - `'drop-oldest'`: drops the oldest waiting message instead;
   * - `'reject'`: drops it, and an `ask` or `send` of it rejects with `MailboxFullError`;
   * - `'backpressure'`: keeps it aside until there is room; `await ref.send.m()` resolves only then.
   * Default `'drop-newest'`.
   */
  readonly overflow?: OverflowPolicy
  /** Three priority levels (`ref.with({ priority: 'high' })`); system messages first. Default false. */
  readonly priority?: boolean
}

export type OverflowPolicy = 'drop-newest' | 'drop-oldest' | 'reject' | 'backpressure'

const POLICIES: readonly OverflowPolicy[] = ['drop-newest', 'drop-oldest', 'reject', 'backpressure']

export interface ResolvedMailbox {
  capacity: number
  overflow: OverflowPolicy
  priority: boolean
}

export function resolveMailbox(options: unknown): ResolvedMailbox {
  if (options === undefined) return { capacity: Infinity, overflow: 'drop-newest', priority: false }
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('mailbox', 'an object { capacity?, overflow?, priority? }', options)
  const { capacity, overflow = 'drop-newest', priority = false } = options as MailboxOptions
  if (capacity !== undefined && !(Number.isInteger(capacity) && capacity >= 1 && capacity <= 2 ** 31 - 1)) {
    throw new InvalidOptionError('mailbox.capacity', 'an integer from 1 to 2147483647', capacity)
  }
  if (!POLICIES.includes(overflow)) throw new InvalidOptionError('mailbox.overflow', `one of ${POLICIES.join(', ')}`, overflow)
  if (typeof priority !== 'boolean') throw new InvalidOptionError('mailbox.priority', 'a boolean', priority)
  return { capacity: capacity ?? Infinity, overflow, priority }
}

/**
 * How many messages one thread may have on their way to (or waiting in) an actor's mailbox:
 * its credit window. Only `backpressure` mailboxes are flow-controlled across threads; each of
 * the `threads` gets an equal share of the capacity, so together they cannot exceed it (at
 * least one each, so a capacity below the thread count still lets every thread send).
 * 0 means no flow control.
 */
export function creditWindow(mailbox: ResolvedMailbox, threads: number): number {
  if (mailbox.overflow !== 'backpressure' || !Number.isFinite(mailbox.capacity)) return 0
  return Math.max(1, Math.floor(mailbox.capacity / threads))
}

export function createMailbox<T extends MailboxItem>(options: ResolvedMailbox): Mailbox<T> {
  if (options.priority) return new PriorityMailbox<T>(options)
  return Number.isFinite(options.capacity) ? new FifoMailbox<T>(options) : new UnboundedMailbox<T>()
}

/**
 * The default mailbox (FIFO, no capacity) as one object, the ring buffer itself: every actor
 * has a mailbox, most have this one, and a million idle actors should not hold two objects each
 * for it. No capacity means nothing is ever parked, refused or evicted.
 */
export class UnboundedMailbox<T extends MailboxItem> extends Deque<T> implements Mailbox<T> {
  constructor() {
    super(0)
  }

  get parked(): number {
    return 0
  }

  offer(item: T): Offer<T> {
    this.push(item)
    return ACCEPTED
  }

  dequeue(): T | undefined {
    return this.shift()
  }

  prepend(items: readonly T[]): void {
    const rest = this.drain()
    for (const item of items) this.push(item)
    for (const item of rest) this.push(item)
  }
}

// Offer outcomes without an evicted message are shared: offering must not allocate per message.
const ACCEPTED: Offer<never> = Object.freeze({ accepted: true })
const REFUSED: Offer<never> = Object.freeze({ accepted: false, parked: false })
const PARKED: Offer<never> = Object.freeze({ accepted: false, parked: true })

/** Applies capacity and overflow on top of a queue; shared by both mailbox kinds. */
abstract class BoundedQueue<T extends MailboxItem> implements Mailbox<T> {
  readonly #capacity: number
  readonly #overflow: OverflowPolicy
  /** Messages waiting for room (`backpressure`): created on the first one. */
  #parked: Deque<T> | undefined

  constructor(options: ResolvedMailbox) {
    this.#capacity = options.capacity
    this.#overflow = options.overflow
  }

  abstract get length(): number
  protected abstract push(item: T): void
  protected abstract shift(): T | undefined
  /** Removes the oldest droppable (non-system) message. */
  protected abstract shiftOldestDroppable(): T | undefined
  protected abstract unshiftAll(items: readonly T[]): void
  protected abstract drainQueued(): T[]

  get parked(): number {
    return this.#parked === undefined ? 0 : this.#parked.length
  }

  offer(item: T): Offer<T> {
    if (item.system || this.length < this.#capacity) {
      this.push(item)
      return ACCEPTED
    }
    switch (this.#overflow) {
      case 'drop-oldest': {
        const evicted = this.shiftOldestDroppable()
        this.push(item)
        return evicted === undefined ? ACCEPTED : { accepted: true, evicted }
      }
      case 'backpressure':
        ;(this.#parked ??= new Deque<T>(8)).push(item)
        return PARKED
      default:
        return REFUSED
    }
  }

  dequeue(admitter?: MailboxAdmitter<T>): T | undefined {
    const item = this.shift()
    if (item !== undefined && this.#parked !== undefined && this.#parked.length > 0 && this.length < this.#capacity) {
      const admitted = this.#parked.shift()!
      this.push(admitted)
      admitter?.admitted(admitted)
    }
    return item
  }

  prepend(items: readonly T[]): void {
    this.unshiftAll(items)
  }

  drain(): T[] {
    return this.#parked === undefined ? this.drainQueued() : [...this.drainQueued(), ...this.#parked.drain()]
  }
}

/** FIFO (the default), unbounded unless given a capacity. */
export class FifoMailbox<T extends MailboxItem> extends BoundedQueue<T> {
  #queue = new Deque<T>(0)

  get length(): number {
    return this.#queue.length
  }

  protected push(item: T): void {
    this.#queue.push(item)
  }

  protected shift(): T | undefined {
    return this.#queue.shift()
  }

  protected shiftOldestDroppable(): T | undefined {
    const kept: T[] = []
    let evicted: T | undefined
    while (this.#queue.length > 0) {
      const item = this.#queue.shift()!
      if (evicted === undefined && !item.system) evicted = item
      else kept.push(item)
    }
    for (const item of kept) this.#queue.push(item)
    return evicted
  }

  protected unshiftAll(items: readonly T[]): void {
    const rest = this.#queue.drain()
    for (const item of items) this.#queue.push(item)
    for (const item of rest) this.#queue.push(item)
  }

  protected drainQueued(): T[] {
    return this.#queue.drain()
  }
}

const LEVEL: Record<MessagePriority, number> = { high: 1, normal: 2, low: 3 }

/** Four queues: system messages, then high, normal, low; FIFO within each. */
export class PriorityMailbox<T extends MailboxItem> extends BoundedQueue<T> {
  readonly #queues = [new Deque<T>(0), new Deque<T>(0), new Deque<T>(0), new Deque<T>(0)]
  #length = 0

  get length(): number {
    return this.#length
  }

  protected push(item: T): void {
    this.#queues[item.system ? 0 : LEVEL[item.priority ?? 'normal']]!.push(item)
    this.#length++
  }

  protected shift(): T | undefined {
    for (const queue of this.#queues) {
      const item = queue.shift()
      if (item !== undefined) {
        this.#length--
        return item
      }
    }
    return undefined
  }

  /** The oldest message of the lowest priority that has any. */
  protected shiftOldestDroppable(): T | undefined {
    for (let level = 3; level >= 1; level--) {
      const item = this.#queues[level]!.shift()
      if (item !== undefined) {
        this.#length--
        return item
      }
    }
    return undefined
  }

  protected unshiftAll(items: readonly T[]): void {
    const byLevel = new Map<number, T[]>()
    for (const item of items) {
      const level = item.system ? 0 : LEVEL[item.priority ?? 'normal']
      byLevel.set(level, [...(byLevel.get(level) ?? []), item])
    }
    for (const [level, front] of byLevel) {
      const queue = this.#queues[level]!
      const rest = queue.drain()
      for (const item of [...front, ...rest]) queue.push(item)
    }
    this.#length += items.length
  }

  protected drainQueued(): T[] {
    const all = this.#queues.flatMap((queue) => queue.drain())
    this.#length = 0
    return all
  }
}
