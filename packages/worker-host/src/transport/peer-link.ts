import type { DeadLetterReason, MessagePriority } from '@troupe/core'
import { createDecoder, createEncoder, type Selector } from '@troupe/core/internal'
import type { Link } from '../link/link.js'
import type { TraceCarrier } from '../tracing/thread-tracing.js'
import {
  LEDGER,
  LEDGER_SLOTS,
  REPLY_OK,
  extendReplies,
  extendRun,
  fillLedger,
  messagesIn,
  writeChained,
  writeCredit,
  writeCredited,
  writeTraced,
  writeDeadLetter,
  writeDeliver,
  writeForward,
  writeLedger,
  writePrioritised,
  writeReply,
  writeRerouted,
  writeRouted,
  writeSettled,
  type Frames,
  type ReplyStatus,
} from '../protocol/wire.js'
import { InboundLedger, OutboundLedger } from './ledger.js'
import { isRemoteKey } from './remote-key.js'
import { InboundSelectors, OutboundSelectors } from './selector-table.js'

/**
 * Flush a batch early once its frames (not counting its `Ledger` header) fill this many slots:
 * 1000 messages in frames of their own, up to 5000 tells in runs. The header is left out so
 * that a window of 1000 asks in flight still travels as one batch rather than as 999 and 1.
 */
const MAX_BATCH_SLOTS = 5000

export interface LinkOwner {
  /** Called once per outgoing link that got its first frame since the last flush. */
  linkTouched(link: PeerLink): void
  /** Called with every batch that arrives on the link. */
  batchArrived(link: PeerLink, bytes: Uint8Array): void
  /** Called with a batch lost in transit (see `LinkListener.lost`). */
  batchLost(link: PeerLink, bytes: Uint8Array): void
  /** Called when a batch cannot be encoded even though its messages passed validation. */
  batchUnencodable(link: PeerLink, frames: Frames, error: unknown): void
}

/**
 * This thread's side of the conversation with one other thread, over a `Link`. Frames are
 * appended as they are sent (see protocol/wire.ts) and packed into one buffer per flush, which
 * the link transfers rather than copies. Until a link is attached (the channel is still being
 * set up through the main thread, or the peer was replaced), frames wait here, in order.
 *
 * A link to a worker keeps a ledger (see `ledger.ts`): each batch starts with a `Ledger` frame,
 * and the batch is held until the worker has settled every message in it, so that if the
 * worker dies the messages it never processed are known exactly.
 */
export class PeerLink {
  readonly decoder = createDecoder()
  readonly #encoder = createEncoder()
  readonly #owner: LinkOwner
  #frames: Frames = []
  /** Delivery frames in `#frames`: the ledger bytes the batch needs. */
  #deliveries = 0
  #link: Link | undefined
  /** When a batch last arrived (performance.now()), and spins in a row that caught nothing (see `SpinWait`). */
  lastArrival = Number.NEGATIVE_INFINITY
  misses = 0
  #touched = false
  /** A link to a thread of another node (see remote-key.ts). */
  readonly #remote: boolean
  /**
   * Where the last frame starts when the next message or reply may continue it (a tell, an ask,
   * a successful reply, or a run of them): valid only while the batch is still `#runEnd` slots
   * long, since any other frame written after it moves the end.
   */
  #runAt = -1
  #runEnd = -1
  /** What this thread sent the peer and the peer has not settled; none towards the main thread. */
  readonly outbound: OutboundLedger | undefined
  /** The peer's slabs, where this thread settles the messages it receives from it. */
  readonly inbound: InboundLedger
  /** Method names this thread interned on the link (see selector-table.ts). */
  readonly selectors = new OutboundSelectors()
  /** Method names the peer interned on the link. */
  readonly peerSelectors = new InboundSelectors()

  constructor(
    readonly thread: number,
    owner: LinkOwner,
  ) {
    this.#owner = owner
    this.#remote = isRemoteKey(thread)
    // Towards main, or another node (no shared memory there), no ledger is kept.
    this.outbound = thread === 0 || this.#remote ? undefined : new OutboundLedger()
    this.inbound = new InboundLedger(thread)
  }

  /** Whether the link can be polled (see `SpinWait`). */
  get pollable(): boolean {
    return this.#link?.poll !== undefined
  }

  /** Takes the next batch off the link now, if one is there. */
  poll(): boolean {
    return this.#link?.poll?.() ?? false
  }

  attach(link: Link): void {
    this.#link = link
    // A new peer (a replacement, or the first) knows none of this side's numbers: they are all
    // defined ahead of what waits here, which may use them (sent while the link was detached, or
    // queued again after the previous peer died).
    this.#defineSelectors()
    link.open({
      batch: (bytes) => {
        this.lastArrival = performance.now()
        this.misses = 0
        this.#owner.batchArrived(this, bytes)
      },
      lost: (bytes) => this.#owner.batchLost(this, bytes),
      slab: (registration) => this.inbound.register(registration),
      // Nothing to do here: the system tells the host that a worker died (`threadDied`), with the
      // reason and which actors get their messages again. Until then, what is sent is dropped
      // by the link and held by the ledger, as if it had been posted just before the death.
      peerGone: () => undefined,
    })
    this.flush()
  }

  /** Every batch towards a worker starts with its `Ledger` frame (filled in at flush). */
  #begin(): void {
    if (this.#frames.length === 0 && this.outbound !== undefined) writeLedger(this.#frames)
  }

  deliver(target: number, sender: number, correlation: number, selector: Selector, body: unknown, priority?: MessagePriority): void {
    this.#begin()
    const frames = this.#frames
    const wire = this.selectors.toWire(selector, frames)
    if (priority !== undefined) writePrioritised(frames, target, sender, correlation, wire, body, priority)
    else if (correlation < 0) writeDeliver(frames, target, sender, correlation, wire, body)
    else {
      // A tell or an ask: it joins the run right before it when it continues it (see `Run` in the wire protocol).
      if (frames.length !== this.#runEnd || !extendRun(frames, this.#runAt, target, sender, correlation, wire, body)) {
        this.#runAt = frames.length
        writeDeliver(frames, target, sender, correlation, wire, body)
      }
      this.#runEnd = frames.length
    }
    this.#deliveries++
    this.#touch()
  }

  /** An ask that belongs to a call chain (reentrancy): a delivery frame that also carries the chain id. */
  deliverChain(target: number, sender: number, correlation: number, selector: Selector, body: unknown, priority: MessagePriority | undefined, chain: number): void {
    this.#begin()
    writeChained(this.#frames, target, sender, correlation, this.selectors.toWire(selector, this.#frames), body, priority, chain)
    this.#deliveries++
    this.#touch()
  }

  /** A message sent inside a traced span: a delivery frame that also carries the span's context. */
  deliverTraced(target: number, sender: number, correlation: number, selector: Selector, body: unknown, priority: MessagePriority | undefined, chain: number, trace: TraceCarrier): void {
    this.#begin()
    writeTraced(this.#frames, target, sender, correlation, this.selectors.toWire(selector, this.#frames), body, priority, chain, trace)
    this.#deliveries++
    this.#touch()
  }

  /** A message to a flow-controlled actor, sent with one of this thread's credits for it. */
  deliverCredited(target: number, sender: number, correlation: number, selector: Selector, body: unknown, priority: MessagePriority | undefined): void {
    this.#begin()
    writeCredited(this.#frames, target, sender, correlation, this.selectors.toWire(selector, this.#frames), body, priority)
    this.#deliveries++
    this.#touch()
  }

  /** Gives `count` credits for `target` back to the thread at the other end. */
  credit(target: number, count: number): void {
    this.#begin()
    writeCredit(this.#frames, target, count)
    this.#touch()
  }

  /** A message a router passes on: its original sender thread and correlation go with it. */
  forward(target: number, sender: number, senderThread: number, correlation: number, selector: Selector, body: unknown, priority: MessagePriority | undefined, router: number): void {
    this.#begin()
    writeForward(this.#frames, target, sender, senderThread, correlation, this.selectors.toWire(selector, this.#frames), body, priority, router)
    this.#deliveries++
    this.#touch()
  }

  /** Tells the asker's thread (on the other end) that its ask `correlation` now waits on `thread`. */
  rerouted(correlation: number, thread: number): void {
    this.#begin()
    writeRerouted(this.#frames, correlation, thread)
    this.#touch()
  }

  /** Tells `router` (on the other end) that `routee` has processed one message it forwarded. */
  routed(router: number, routee: number): void {
    this.#begin()
    writeRouted(this.#frames, router, routee)
    this.#touch()
  }

  reply(correlation: number, status: ReplyStatus, value: unknown): void {
    this.#begin()
    const frames = this.#frames
    // Successful replies to consecutive asks share one frame (see `Replies` in the wire protocol).
    if (status !== REPLY_OK || frames.length !== this.#runEnd || !extendReplies(frames, this.#runAt, correlation, value)) {
      this.#runAt = frames.length
      writeReply(frames, correlation, status, value)
    }
    this.#runEnd = frames.length
    this.#touch()
  }

  deadLetter(recipient: number, sender: number, reason: DeadLetterReason, selector: Selector, body: unknown): void {
    this.#begin()
    writeDeadLetter(this.#frames, recipient, sender, reason, selector, body)
    this.#touch()
  }

  /** Tells the sender (at the other end) that it must report the message in `slot` of its slab `slab` as refused here. */
  settled(slab: number, slot: number): void {
    this.#begin()
    writeSettled(this.#frames, slab, slot)
    this.#touch()
  }

  /** Queues a frame again, as it was (after its batch failed to encode as a whole). */
  resend(frame: Frames): void {
    if (frame[0] === LEDGER) return // each batch gets its own
    this.#begin()
    for (const slot of frame) this.#frames.push(slot)
    this.#deliveries += messagesIn(frame, 0)
    this.#touch()
  }

  /**
   * The peer died and its replacement will get `frames` (messages it must process again) first,
   * before anything sent since the death, so each sender's order holds.
   */
  requeue(frames: Frames, deliveries: number): void {
    if (frames.length === 0) return
    this.#putFirst((batch) => {
      for (const slot of frames) batch.push(slot)
    })
    this.#deliveries += deliveries
    this.#touch()
  }

  flush(): void {
    this.#touched = false
    const link = this.#link
    if (link === undefined || this.#frames.length === 0) return
    const frames = this.#frames
    const deliveries = this.#deliveries
    this.#frames = []
    this.#deliveries = 0
    this.#runEnd = -1
    const ledger = this.outbound
    const slab = ledger !== undefined && deliveries > 0 ? ledger.reserve(deliveries) : undefined
    if (slab !== undefined) {
      fillLedger(frames, slab.id, slab.used)
      if (!slab.registered) {
        // Shared before the batch that first uses it: the link keeps the order.
        link.share({ slab: slab.id, buffer: slab.bytes.buffer as SharedArrayBuffer })
        slab.registered = true
      }
    }
    let bytes: Uint8Array
    try {
      // msgpackr returns a view of its reusable buffer: copy out before transferring.
      bytes = new Uint8Array(this.#encoder.pack(frames))
    } catch (error) {
      this.#owner.batchUnencodable(this, frames, error)
      return
    }
    // The ledger keeps its own copy (in a reused ring): the one sent is the link's (see Link.send).
    if (slab !== undefined) ledger!.hold(slab, deliveries, bytes)
    // A thread of another node may be replaced unseen: each batch to it defines its own selectors.
    if (this.#remote) this.selectors.clear()
    link.send(bytes)
    ledger?.reclaim()
  }

  close(): void {
    this.flush()
    this.#link?.close()
    this.#link = undefined
  }

  /**
   * The thread at the other end died. Frames sent from now on wait here, in order, until the
   * replacement's link is attached; what was already sent is accounted by the caller, from
   * the ledger. The dead thread's slabs are void: messages it sent that are still queued here
   * are settled with nobody reading.
   */
  detach(): void {
    this.#link?.close()
    this.#link = undefined
    this.inbound.senderDied()
    this.peerSelectors.reset()
  }

  /** Puts a definition of every interned selector at the head of what waits to be sent. */
  #defineSelectors(): void {
    if (this.selectors.names.length > 1) this.#putFirst((batch) => this.selectors.defineAll(batch))
  }

  /** Rebuilds the waiting batch with what `write` adds first, after its ledger header and before what waited. */
  #putFirst(write: (batch: Frames) => void): void {
    const waiting = this.#frames.length === 0 ? [] : this.#frames.slice(this.outbound === undefined ? 0 : LEDGER_SLOTS)
    this.#frames = []
    this.#runEnd = -1
    this.#begin()
    write(this.#frames)
    for (const slot of waiting) this.#frames.push(slot)
  }

  #touch(): void {
    if (!this.#touched) {
      this.#touched = true
      this.#owner.linkTouched(this)
    }
    if (this.#frames.length >= MAX_BATCH_SLOTS + (this.outbound === undefined ? 0 : LEDGER_SLOTS)) this.flush()
  }
}
