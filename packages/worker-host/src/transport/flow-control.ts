import type { MessagePriority } from '@troupe/core'
import type { ActorRefImpl, Selector } from '@troupe/core/internal'
import { envelope, type Envelope } from '../host/envelope.js'
import { CreditWindow } from './credit-window.js'
import type { PeerLink } from './peer-link.js'

/** What flow control needs from the thread's host. */
export interface FlowOwner {
  readonly thread: number
  /** The channel to `thread`. */
  link(thread: number): PeerLink
  /** Makes sure the host flushes at the end of this turn (credits owed are paid then). */
  requestFlush(): void
  /** A held message that will never be sent (the host is closing). */
  abandon(target: number, envelope: Envelope): void
}

/**
 * Credit-based flow control of one thread, both ways (see docs/flow-control.md):
 * - as a sender, one `CreditWindow` per flow-controlled actor on another thread, by id: a
 *   message spends a credit or waits, in order, on this thread;
 * - as a consumer's thread, the credits owed to each sending thread, paid in `Credit` frames
 *   once per turn.
 */
export class FlowControl {
  readonly #owner: FlowOwner
  readonly #windows = new Map<number, CreditWindow>()
  readonly #owed = new Map<number, Map<number, number>>()
  #closed = false

  constructor(owner: FlowOwner) {
    this.#owner = owner
  }

  /**
   * Sends a message to an actor on another thread: plainly, or with a credit, or held for one.
   * The window is known from this ref, or from an earlier one to the same actor.
   */
  send(ref: ActorRefImpl, sender: number, correlation: number, selector: Selector, body: unknown, priority: MessagePriority | undefined): void {
    // Most refs are not flow-controlled; the map is only consulted once some actor is.
    const window = ref.window !== 0 || this.#windows.size !== 0 ? this.#windowOf(ref) : undefined
    if (window === undefined) this.#owner.link(ref.home).deliver(ref.id, sender, correlation, selector, body, priority)
    else if (window.take()) this.#owner.link(ref.home).deliverCredited(ref.id, sender, correlation, selector, body, priority)
    else window.held.push(envelope(sender, this.#owner.thread, correlation, selector, body, priority))
  }

  /** Credits for `target` came back (a `Credit` frame): what waited goes, in order. */
  granted(target: number, count: number): void {
    const window = this.#windows.get(target)
    if (window === undefined) return
    window.grant(count)
    this.#release(window)
  }

  /** A credited message to `target` could not be encoded and never left: its credit is ours again. */
  unsent(target: number): void {
    const window = this.#windows.get(target)
    if (window === undefined) return
    window.grant(1)
    // Not now: the batch being re-sent must go out first, in order.
    queueMicrotask(() => this.#release(window))
  }

  /** Consumer side: a credited message from `thread` left `target`'s mailbox. */
  returned(thread: number, target: number): void {
    let perTarget = this.#owed.get(thread)
    if (perTarget === undefined) {
      perTarget = new Map()
      this.#owed.set(thread, perTarget)
    }
    perTarget.set(target, (perTarget.get(target) ?? 0) + 1)
    this.#owner.requestFlush()
  }

  /** Pays the credits owed, one frame per sending thread and actor; called by the host's flush. */
  payOwed(): void {
    if (this.#owed.size === 0 || this.#closed) return
    for (const [thread, perTarget] of this.#owed) for (const [target, count] of perTarget) this.#owner.link(thread).credit(target, count)
    this.#owed.clear()
  }

  /** The worker at `thread` died with every message in flight to its actors: their windows are whole again. */
  threadDied(thread: number): void {
    for (const window of this.#windows.values()) {
      if (window.home !== thread) continue
      window.reset()
      this.#release(window)
    }
  }

  /** Messages waiting for credit on this thread. */
  get awaitingCredit(): number {
    let held = 0
    for (const window of this.#windows.values()) held += window.held.length
    return held
  }

  /** The host closes: messages still waiting for credit will not be sent. */
  close(): void {
    this.#closed = true
    for (const window of this.#windows.values()) for (const held of window.held.drain()) this.#owner.abandon(window.target, held)
  }

  #windowOf(ref: ActorRefImpl): CreditWindow | undefined {
    let window = this.#windows.get(ref.id)
    if (window === undefined && ref.window !== 0) {
      window = new CreditWindow(ref.id, ref.home, ref.window)
      this.#windows.set(ref.id, window)
    }
    return window
  }

  #release(window: CreditWindow): void {
    for (let held = window.release(); held !== undefined; held = window.release()) {
      if (this.#closed) this.#owner.abandon(window.target, held)
      else this.#owner.link(window.home).deliverCredited(window.target, held.sender, held.correlation, held.selector, held.body, held.priority)
    }
  }
}
