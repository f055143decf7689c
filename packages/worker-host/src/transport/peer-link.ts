import type { MessagePort } from 'node:worker_threads'
import type { MessagePriority } from '@troupe/core'
import {
  createDecoder,
  createEncoder,
  DEAD_LETTER,
  CREDIT,
  DELIVER_CHAIN,
  DELIVER_CREDITED,
  DELIVER_PRIORITY,
  FORWARD,
  REPLY,
  REROUTED,
  ROUTED,
  type DeadLetterReason,
  type Selector,
} from '@troupe/core/internal'

/** Flush a batch early once it holds this many frame slots (about 1000 messages). */
const MAX_BATCH_SLOTS = 5000

export interface LinkOwner {
  /** Called once per outgoing link that got its first frame since the last flush. */
  linkTouched(link: PeerLink): void
  /** Called with every batch that arrives on the link. */
  batchArrived(link: PeerLink, bytes: Uint8Array): void
  /** Called when a batch cannot be encoded even though its messages passed validation. */
  batchUnencodable(link: PeerLink, frames: unknown[], error: unknown): void
}

/**
 * One direct channel between this thread and another: a MessagePort carrying msgpack batches.
 * Frames are appended as they are sent and packed into one buffer per flush, whose ArrayBuffer
 * is transferred rather than copied. Until the port is attached (the channel is still being
 * set up through the main thread), frames wait here, in order.
 */
export class PeerLink {
  readonly decoder = createDecoder()
  readonly #encoder = createEncoder()
  readonly #owner: LinkOwner
  #frames: unknown[] = []
  #port: MessagePort | undefined
  #touched = false

  constructor(
    readonly thread: number,
    owner: LinkOwner,
  ) {
    this.#owner = owner
  }

  attach(port: MessagePort): void {
    this.#port = port
    port.on('message', (bytes: Uint8Array) => this.#owner.batchArrived(this, bytes))
    this.flush()
  }

  deliver(target: number, sender: number, correlation: number, selector: Selector, body: unknown, priority?: MessagePriority): void {
    if (priority === undefined) this.#frames.push(target, sender, correlation, selector, body)
    else this.#frames.push(DELIVER_PRIORITY, target, sender, correlation, selector, body, priority)
    this.#touch()
  }

  /** An ask that belongs to a call chain (reentrancy): a delivery frame that also carries the chain id. */
  deliverChain(target: number, sender: number, correlation: number, selector: Selector, body: unknown, priority: MessagePriority | undefined, chain: number): void {
    this.#frames.push(DELIVER_CHAIN, target, sender, correlation, selector, body, priority ?? null, chain)
    this.#touch()
  }

  /** A message to a flow-controlled actor, sent with one of this thread's credits for it. */
  deliverCredited(target: number, sender: number, correlation: number, selector: Selector, body: unknown, priority: MessagePriority | undefined): void {
    this.#frames.push(DELIVER_CREDITED, target, sender, correlation, selector, body, priority ?? null)
    this.#touch()
  }

  /** Gives `count` credits for `target` back to the thread at the other end. */
  credit(target: number, count: number): void {
    this.#frames.push(CREDIT, target, count)
    this.#touch()
  }

  /** A message a router passes on: its original sender thread and correlation go with it. */
  forward(target: number, sender: number, senderThread: number, correlation: number, selector: Selector, body: unknown, priority: MessagePriority | undefined, router: number): void {
    this.#frames.push(FORWARD, target, sender, senderThread, correlation, selector, body, priority ?? null, router)
    this.#touch()
  }

  /** Tells the asker's thread (on the other end) that its ask `correlation` now waits on `thread`. */
  rerouted(correlation: number, thread: number): void {
    this.#frames.push(REROUTED, correlation, thread)
    this.#touch()
  }

  /** Tells `router` (on the other end) that `routee` has processed one message it forwarded. */
  routed(router: number, routee: number): void {
    this.#frames.push(ROUTED, router, routee)
    this.#touch()
  }

  reply(correlation: number, status: number, value: unknown): void {
    this.#frames.push(REPLY, correlation, status, value)
    this.#touch()
  }

  deadLetter(recipient: number, sender: number, reason: DeadLetterReason, selector: Selector, body: unknown): void {
    this.#frames.push(DEAD_LETTER, recipient, sender, reason, selector, body)
    this.#touch()
  }

  /** Queues a frame again, as it was (after its batch failed to encode as a whole). */
  resend(frame: readonly unknown[]): void {
    for (const slot of frame) this.#frames.push(slot)
    this.#touch()
  }

  flush(): void {
    this.#touched = false
    const port = this.#port
    if (port === undefined || this.#frames.length === 0) return
    const frames = this.#frames
    this.#frames = []
    let bytes: Uint8Array
    try {
      // msgpackr returns a view of its reusable buffer: copy out before transferring.
      bytes = new Uint8Array(this.#encoder.pack(frames))
    } catch (error) {
      this.#owner.batchUnencodable(this, frames, error)
      return
    }
    port.postMessage(bytes, [bytes.buffer as ArrayBuffer])
  }

  close(): void {
    this.flush()
    this.#port?.close()
    this.#port = undefined
  }

  /**
   * The thread at the other end died. Frames sent from now on wait here, in order, until the
   * replacement's port is attached; what was already posted died with the thread.
   */
  detach(): void {
    this.#port?.close()
    this.#port = undefined
  }

  #touch(): void {
    if (!this.#touched) {
      this.#touched = true
      this.#owner.linkTouched(this)
    }
    if (this.#frames.length >= MAX_BATCH_SLOTS) this.flush()
  }
}
