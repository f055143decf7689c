import { Deque } from '@troupe/core/internal'
import type { Envelope } from '../host/envelope.js'

/**
 * The sending side of flow control towards one actor on another thread. The thread may have at
 * most `window` messages on their way to the actor or waiting in its mailbox; each one spends a
 * credit, and the actor's thread gives it back when the message leaves the mailbox. Messages
 * sent without a credit wait here, in order, on the sender's side, so a producer cannot grow
 * the consumer's queue; `await ref.send` lets the producer wait instead of growing this one.
 */
export class CreditWindow {
  credits: number
  /** Messages waiting for a credit, in send order. */
  readonly held = new Deque<Envelope>()

  constructor(
    readonly target: number,
    readonly home: number,
    readonly window: number,
  ) {
    this.credits = window
  }

  /** Takes a credit for a message sent now; false when it must wait behind others or for credit. */
  take(): boolean {
    if (this.held.length > 0 || this.credits === 0) return false
    this.credits--
    return true
  }

  /** Credits given back. Never above the window: a credit owed by a thread that died was already restored. */
  grant(count: number): void {
    this.credits = Math.min(this.window, this.credits + count)
  }

  /** The actor's thread died with every message in flight: the whole window is free again. */
  reset(): void {
    this.credits = this.window
  }

  /** The next held message that may leave now (taking its credit), if any. */
  release(): Envelope | undefined {
    if (this.held.length === 0 || this.credits === 0) return undefined
    this.credits--
    return this.held.shift()
  }
}
