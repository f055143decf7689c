import type { DeadLetterReason, MessagePriority } from '@troupe/core'
import { DELIVER_CHAIN, DELIVER_CREDITED, DELIVER_PRIORITY, FORWARD, frameSlots, isDelivery, type Selector } from '@troupe/core/internal'
import { envelope, withCorrelation, type Envelope, type Route } from '../host/envelope.js'
import { RUNNING, SETTLED_BYTE, reasonOf, type SentBatch } from './ledger.js'
import type { PeerLink } from './peer-link.js'

/** What accounting for a link's messages needs from its host. */
export interface AccountingHost {
  readonly thread: number
  undeliverable(recipient: number, envelope: Envelope, reason: DeadLetterReason): void
  /** Whether this thread still waits for the answer to `correlation` (an ask, or a send not yet accepted). */
  awaits(correlation: number): boolean
  routeOf(router: number, thread: number): Route
  /** A held batch's frames, decoded on this thread (refs inside attached to it). */
  decodeBatch(bytes: Uint8Array): unknown[]
}

/**
 * A delivery frame (plain, prioritised, credited, chained or forwarded), sent from `thread`, as its
 * target and an envelope. Credits are not carried: a dead peer's windows are reset as a whole.
 * `routeOf`, when given, rebuilds a forward's route so its router hears the message is gone.
 */
export function deliveryOf(frame: readonly unknown[], thread: number, routeOf?: (router: number) => Route): [number, Envelope] {
  const head = frame[0] as number
  if (head > 0) return [head, envelope(frame[1] as number, thread, frame[2] as number, frame[3] as Selector, frame[4])]
  if (head === DELIVER_PRIORITY || head === DELIVER_CREDITED || head === DELIVER_CHAIN) {
    const priority = (frame[6] as MessagePriority | null) ?? undefined
    return [frame[1] as number, envelope(frame[2] as number, thread, frame[3] as number, frame[4] as Selector, frame[5], priority)]
  }
  if (head !== FORWARD) throw new Error(`protocol error: frame kind ${String(head)} is not a delivery`)
  const router = frame[8] as number
  const route = router === 0 || routeOf === undefined ? undefined : routeOf(router)
  const priority = (frame[7] as MessagePriority | null) ?? undefined
  return [frame[1] as number, envelope(frame[2] as number, frame[3] as number, frame[4] as number, frame[5] as Selector, frame[6], priority, route)]
}

/** Calls `visit` with each delivery frame of a held batch and its ledger byte, in order. */
function forEachDelivery(host: AccountingHost, batch: SentBatch, visit: (frame: unknown[], byte: number) => void): void {
  const { slab, offset } = batch
  const frames = host.decodeBatch(batch.bytes)
  let index = 0
  for (let at = 0; at < frames.length; ) {
    const head = frames[at] as number
    const slots = frameSlots(head)
    if (isDelivery(head)) visit(frames.slice(at, at + slots), slab.bytes[offset + index++]!)
    at += slots
  }
}

/** The `index`-th delivery frame of a batch. */
function nthDelivery(host: AccountingHost, batch: SentBatch, index: number): unknown[] | undefined {
  let found: unknown[] | undefined
  let seen = 0
  forEachDelivery(host, batch, (frame) => {
    if (seen++ === index) found = frame
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
  const frame = nthDelivery(host, found.batch, found.index)
  if (frame === undefined) return
  // The receiver already told a router that forwarded it, and returned its credit.
  const [target, refused] = deliveryOf(frame, host.thread)
  host.undeliverable(target, withCorrelation(refused, 0), reasonOf(code))
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
  const again: unknown[] = []
  let redelivered = 0
  const routeOf = (router: number): Route => host.routeOf(router, host.thread)
  outbound.peerDied((batch) =>
    forEachDelivery(host, batch, (frame, byte) => {
      if (byte === SETTLED_BYTE) return
      const [target, lost] = deliveryOf(frame, host.thread, routeOf)
      if (byte === RUNNING) return host.undeliverable(target, withCorrelation(lost, 0), 'worker-died')
      if (byte > SETTLED_BYTE) return host.undeliverable(target, withCorrelation(lost, 0), reasonOf(byte))
      const { correlation } = lost
      if (correlation > 0 || (correlation < 0 && host.awaits(-correlation))) return
      if (!atLeastOnce.has(target)) return host.undeliverable(target, withCorrelation(lost, 0), 'worker-died')
      again.push(...asTellFrame(frame))
      redelivered++
    }),
  )
  link.requeue(again, redelivered)
}

/** The frame to send again: an accepted send is a tell now, and a credited message spends no new credit. */
function asTellFrame(frame: unknown[]): unknown[] {
  const head = frame[0] as number
  if (head > 0) return [head, frame[1], 0, frame[3], frame[4]]
  if (head === FORWARD) return [FORWARD, frame[1], frame[2], frame[3], 0, frame[5], frame[6], frame[7], frame[8]]
  // (A chained frame is always an ask, and asks are never sent again.)
  const priority = frame[6] as MessagePriority | null
  if (priority === null || priority === 'normal') return [frame[1], frame[2], 0, frame[4], frame[5]]
  return [DELIVER_PRIORITY, frame[1], frame[2], 0, frame[4], frame[5], priority]
}
