import type { DeadLetterReason } from '@troupe/core'
import { withCorrelation, type Envelope, type Route } from '../host/envelope.js'
import { FORWARD, frameKind, frameLength, messagesIn, readDelivery, readTarget, writeDeliver, writeForward, writePrioritised, type Frames, type RouteBook } from '../protocol/wire.js'
import { RUNNING, SETTLED_BYTE, reasonOf, type SentBatch } from './ledger.js'
import type { PeerLink } from './peer-link.js'

/** What accounting for a link's messages needs from its host. */
export interface AccountingHost extends RouteBook {
  readonly thread: number
  undeliverable(recipient: number, envelope: Envelope, reason: DeadLetterReason): void
  /** Whether this thread still waits for the answer to `correlation` (an ask, or a send not yet accepted). */
  awaits(correlation: number): boolean
  routeOf(router: number, thread: number): Route
  /** A held batch's frames, decoded on this thread (refs inside attached to it). */
  decodeBatch(bytes: Uint8Array): Frames
}

/**
 * Calls `visit` for each message of a held batch, in order: where its frame starts, which
 * message of that frame it is (a run holds several), and its ledger byte.
 */
function forEachMessage(frames: Frames, batch: SentBatch, visit: (at: number, index: number, byte: number) => void): void {
  const { slab, offset } = batch
  let n = 0
  for (let at = 0; at < frames.length; at += frameLength(frames, at)) {
    const count = messagesIn(frames, at)
    for (let index = 0; index < count; index++) visit(at, index, slab.bytes[offset + n++]!)
  }
}

/** The frame and index in it of the batch's `n`-th message, or undefined. */
function nthMessage(frames: Frames, batch: SentBatch, n: number): { at: number; index: number } | undefined {
  let found: { at: number; index: number } | undefined
  let seen = 0
  forEachMessage(frames, batch, (at, index) => {
    if (seen++ === n) found = { at, index }
  })
  return found
}

/**
 * The peer refused a message we sent it (a `Settled` frame): we report it, once. The byte
 * tells whether it is still unreported; a report made meanwhile (the peer died and the ledger
 * was read) set it to settled.
 */
export function reportRefused(host: AccountingHost, link: PeerLink, slabId: number, slot: number): void {
  const found = link.outbound?.find(slabId, slot)
  if (found === undefined) return
  const bytes = found.batch.slab.bytes
  const code = bytes[slot]!
  if (code <= SETTLED_BYTE) return
  bytes[slot] = SETTLED_BYTE
  const frames = host.decodeBatch(found.batch.bytes)
  const message = nthMessage(frames, found.batch, found.index)
  if (message === undefined) return
  const { at, index } = message
  // The receiver already told a router that forwarded it, and returned its credit: no route here.
  host.undeliverable(readTarget(frames, at), withCorrelation(readDelivery(frames, at, host.thread, link.selectors.names, undefined, index), 0), reasonOf(code))
}

/**
 * The peer died. Every message this thread sent it is accounted from the ledger: processed
 * ones are done; refused ones not yet reported are reported; each unprocessed tell (and
 * accepted send) becomes a dead letter `worker-died`, or, for an actor with at-least-once
 * delivery, is queued again (first, in order) for the restarted actor. The one whose handler was
 * running when the worker died is a dead letter in either case: it may be what killed it. Asks, and sends not yet
 * accepted, are left alone: they fail with `WorkerCrashedError`, and their callers decide.
 */
export function accountForDeadPeer(host: AccountingHost, link: PeerLink, atLeastOnce: ReadonlySet<number>): void {
  const outbound = link.outbound
  if (outbound === undefined) return
  const again: Frames = []
  let redelivered = 0
  outbound.peerDied((batch) => {
    const frames = host.decodeBatch(batch.bytes)
    forEachMessage(frames, batch, (at, index, byte) => {
      if (byte === SETTLED_BYTE) return
      const target = readTarget(frames, at)
      // (Its selector is a name again: what is queued for the replacement carries names, not numbers.)
      const lost = readDelivery(frames, at, host.thread, link.selectors.names, host, index)
      if (byte === RUNNING) return host.undeliverable(target, withCorrelation(lost, 0), 'worker-died')
      if (byte > SETTLED_BYTE) return host.undeliverable(target, withCorrelation(lost, 0), reasonOf(byte))
      const { correlation } = lost
      if (correlation > 0 || (correlation < 0 && host.awaits(-correlation))) return
      if (!atLeastOnce.has(target)) return host.undeliverable(target, withCorrelation(lost, 0), 'worker-died')
      writeAsTell(again, frameKind(frames, at), target, lost)
      redelivered++
    })
  })
  link.requeue(again, redelivered)
}

/**
 * The frame to send again: an accepted send is a tell now, and a credited message spends no
 * new credit. (A chained frame is always an ask, and asks are never sent again.)
 */
function writeAsTell(frames: Frames, kind: number, target: number, lost: Envelope): void {
  const { sender, selector, body, priority } = lost
  if (kind === FORWARD) writeForward(frames, target, sender, lost.senderThread, 0, selector, body, priority, lost.route?.router ?? 0)
  else if (kind > 0 || priority === undefined || priority === 'normal') writeDeliver(frames, target, sender, 0, selector, body)
  else writePrioritised(frames, target, sender, 0, selector, body, priority)
}
