import type { DeadLetterReason } from '@troupe/core'
import { withCorrelation, type Envelope, type Route } from '../host/envelope.js'
import { FORWARD, frameKind, frameSlots, isDelivery, readDelivery, readTarget, writeDeliver, writeForward, writePrioritised, type Frames, type RouteBook } from '../protocol/wire.js'
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

/** Calls `visit` with the index of each delivery frame of a held batch and its ledger byte, in order. */
function forEachDelivery(frames: Frames, batch: SentBatch, visit: (at: number, byte: number) => void): void {
  const { slab, offset } = batch
  let index = 0
  for (let at = 0; at < frames.length; ) {
    const kind = frameKind(frames, at)
    if (isDelivery(kind)) visit(at, slab.bytes[offset + index++]!)
    at += frameSlots(kind)
  }
}

/** Where the `index`-th delivery frame of a batch starts, or -1. */
function nthDelivery(frames: Frames, batch: SentBatch, index: number): number {
  let found = -1
  let seen = 0
  forEachDelivery(frames, batch, (at) => {
    if (seen++ === index) found = at
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
  const at = nthDelivery(frames, found.batch, found.index)
  if (at < 0) return
  // The receiver already told a router that forwarded it, and returned its credit: no route here.
  host.undeliverable(readTarget(frames, at), withCorrelation(readDelivery(frames, at, host.thread), 0), reasonOf(code))
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
    forEachDelivery(frames, batch, (at, byte) => {
      if (byte === SETTLED_BYTE) return
      const target = readTarget(frames, at)
      const lost = readDelivery(frames, at, host.thread, host)
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
