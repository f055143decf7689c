import type { DeadLetterReason } from '@troupe/core'
import type { Selector } from '@troupe/core/internal'
import {
  CREDIT,
  CREDIT_SLOTS,
  DEAD_LETTER,
  DEAD_LETTER_SLOTS,
  DELIVER_CHAIN,
  DELIVER_CREDITED,
  DELIVER_PRIORITY,
  DELIVER_RUN,
  DELIVER_RUN_HEAD,
  DELIVER_SLOTS,
  FORWARD,
  LEDGER,
  LEDGER_SLOTS,
  REPLY,
  REPLY_RUN,
  REPLY_SLOTS,
  REROUTED,
  REROUTED_SLOTS,
  ROUTED,
  ROUTED_SLOTS,
  SELECTOR,
  SELECTOR_SLOTS,
  SETTLED,
  SETTLED_SLOTS,
  frameKind,
  frameLength,
  frameSlots,
  readChained,
  readTraced,
  DELIVER_TRACED,
  readCredit,
  readCredited,
  readDeadLetter,
  readDeliver,
  readForward,
  readLedgerOffset,
  readLedgerSlab,
  readPrioritised,
  readReply,
  readReplyRun,
  readRerouted,
  readRouted,
  readRunMessage,
  readSelector,
  readSettled,
  readTarget,
  type DeadLetterHandler,
  type Frames,
  type SettledHandler,
} from '../protocol/wire.js'
import { reportRefused, type AccountingHost } from '../transport/delivery-accounting.js'
import type { FlowControl } from '../transport/flow-control.js'
import type { InboundSlab } from '../transport/ledger.js'
import type { PeerLink } from '../transport/peer-link.js'
import type { Envelope } from './envelope.js'
import type { DeadLetterRecord } from './host-options.js'
import type { LocalActors } from './local-actors.js'
import type { PendingAsks } from './pending-asks.js'
import { useChains } from './reentrancy.js'

/** What reading a batch needs from the thread's host. */
export interface InboundHost extends AccountingHost {
  readonly asks: PendingAsks
  deadLetter(record: DeadLetterRecord): void
}

/**
 * Reads the batches that arrive on a thread's links, frame by frame, in order: messages go to
 * the actors here, replies to the asks waiting here, reports to whoever waits for them. One per
 * host; the loop is direct (a switch over the kinds), so a message costs its envelope and nothing else.
 */
export class InboundReader implements DeadLetterHandler, SettledHandler {
  readonly #host: InboundHost
  readonly #actors: LocalActors
  readonly #flow: FlowControl
  /** The link of the batch being read (for the frames that answer or report on it). */
  #link: PeerLink | undefined

  constructor(host: InboundHost, actors: LocalActors, flow: FlowControl) {
    this.#host = host
    this.#actors = actors
    this.#flow = flow
  }

  read(link: PeerLink, frames: Frames): void {
    this.#link = link
    const from = link.thread
    const host = this.#host
    const actors = this.#actors
    // Read once per batch: a `Selector` frame only ever adds to the same array.
    const selectors = link.peerSelectors
    const names = selectors.names
    // The ledger region of this batch (see the Ledger frame): one byte per delivery, in order.
    let ledger: InboundSlab | undefined
    let slot = 0
    for (let at = 0; at < frames.length; ) {
      const kind = frameKind(frames, at)
      if (kind > 0) {
        actors.deliver(kind, readDeliver(frames, at, from, names, ledger, slot))
        if (ledger !== undefined) slot++
        at += DELIVER_SLOTS
        continue
      }
      let message: Envelope
      switch (kind) {
        case LEDGER:
          ledger = link.inbound.slab(readLedgerSlab(frames, at))
          slot = readLedgerOffset(frames, at)
          at += LEDGER_SLOTS
          continue
        case DELIVER_RUN: {
          const target = frames[at + 1] as number
          const count = frames[at + 4] as number
          for (let i = 0; i < count; i++) {
            actors.deliver(target, readRunMessage(frames, at, i, from, names, ledger, slot))
            if (ledger !== undefined) slot++
          }
          at += DELIVER_RUN_HEAD + count
          continue
        }
        case SELECTOR:
          readSelector(frames, at, selectors)
          at += SELECTOR_SLOTS
          continue
        case DELIVER_PRIORITY:
          message = readPrioritised(frames, at, from, names, ledger, slot)
          break
        case FORWARD:
          message = readForward(frames, at, names, host, from, ledger, slot)
          break
        case DELIVER_CREDITED:
          message = readCredited(frames, at, from, names, from, ledger, slot)
          break
        case DELIVER_CHAIN:
          useChains()
          message = readChained(frames, at, from, names, ledger, slot)
          break
        case DELIVER_TRACED:
          if (frames[at + 7] !== 0) useChains()
          message = readTraced(frames, at, from, names, ledger, slot)
          break
        default:
          at += this.#report(kind, frames, at)
          continue
      }
      actors.deliver(readTarget(frames, at), message)
      if (ledger !== undefined) slot++
      at += frameSlots(kind)
    }
    this.#link = undefined
  }

  /**
   * A batch lost in transit (the test kit's `dropNextBatch`): its messages, replies and reports
   * are gone, as they would be in a real loss, but the method names it defined stay defined: the
   * sender numbers them from now on, and a real link never loses a definition.
   */
  readLost(link: PeerLink, frames: Frames): void {
    const selectors = link.peerSelectors
    for (let at = 0; at < frames.length; at += frameLength(frames, at)) {
      if (frameKind(frames, at) === SELECTOR) readSelector(frames, at, selectors)
    }
  }

  /** A frame that answers or reports something (not a message to an actor); returns its slots. */
  #report(kind: number, frames: Frames, at: number): number {
    switch (kind) {
      case REPLY:
        readReply(frames, at, this.#host.asks)
        return REPLY_SLOTS
      case REPLY_RUN:
        return readReplyRun(frames, at, this.#host.asks)
      case REROUTED:
        readRerouted(frames, at, this.#host.asks)
        return REROUTED_SLOTS
      case CREDIT:
        readCredit(frames, at, this.#flow)
        return CREDIT_SLOTS
      case ROUTED:
        readRouted(frames, at, this.#actors)
        return ROUTED_SLOTS
      case SETTLED:
        readSettled(frames, at, this)
        return SETTLED_SLOTS
      case DEAD_LETTER:
        readDeadLetter(frames, at, this)
        return DEAD_LETTER_SLOTS
      default:
        throw new Error(`protocol error: unknown frame kind ${String(kind)} from thread ${this.#link!.thread}`)
    }
  }

  /** The peer refused a message this thread sent it: reported here, once (see delivery-accounting). */
  refused(slab: number, slot: number): void {
    reportRefused(this.#host, this.#link!, slab, slot)
  }

  /** A worker's dead letter (this is the main thread). Its sender lives on that worker. */
  deadLetter(recipient: number, sender: number, reason: DeadLetterReason, selector: Selector, body: unknown): void {
    const thread = this.#link!.thread
    this.#host.deadLetter({ recipient, sender: sender === 0 ? undefined : { id: sender, thread }, reason, selector, body })
  }
}
