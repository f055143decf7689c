// The frames that answer or report something, and the ledger's, each writer beside its reader (see wire.ts).
import type { DeadLetterReason } from '@troupe/core'
import type { Selector } from '@troupe/core/internal'
import {
  CREDIT,
  DEAD_LETTER,
  LEDGER,
  REPLY,
  REPLY_OK,
  REPLY_RUN,
  REPLY_RUN_HEAD,
  REROUTED,
  ROUTED,
  SELECTOR,
  SETTLED,
  type Frames,
  type ReplyStatus,
} from './frame-kinds.js'

// ---- Replies and reports ------------------------------------------------------------------------
// Each reader hands the frame's fields to a handler: one long-lived object per reader, no
// allocation per frame.

export interface ReplyHandler {
  settle(correlation: number, status: ReplyStatus, value: unknown): void
}

export function writeReply(frames: Frames, correlation: number, status: ReplyStatus, value: unknown): void {
  frames.push(REPLY, correlation, status, value)
}

export function readReply(frames: Frames, at: number, handler: ReplyHandler): void {
  handler.settle(frames[at + 1] as number, frames[at + 2] as ReplyStatus, frames[at + 3])
}

/**
 * Adds a successful reply to the frame at `at` (the last one written) if that frame is one, or
 * a `Replies` frame, answering the correlation just before; a lone reply becomes a `Replies`.
 */
export function extendReplies(frames: Frames, at: number, correlation: number, value: unknown): boolean {
  const kind = frames[at] as number
  if (kind === REPLY_RUN) {
    const count = frames[at + 2] as number
    if (correlation !== (frames[at + 1] as number) + count) return false
    frames[at + 2] = count + 1
    frames.push(value)
    return true
  }
  if (kind !== REPLY || frames[at + 2] !== REPLY_OK || correlation !== (frames[at + 1] as number) + 1) return false
  frames[at] = REPLY_RUN
  frames[at + 2] = 2
  frames.push(value)
  return true
}

/** Settles each reply of the `Replies` frame at `at`; returns the frame's length. */
export function readReplyRun(frames: Frames, at: number, handler: ReplyHandler): number {
  const first = frames[at + 1] as number
  const count = frames[at + 2] as number
  for (let i = 0; i < count; i++) handler.settle(first + i, REPLY_OK, frames[at + REPLY_RUN_HEAD + i])
  return REPLY_RUN_HEAD + count
}

/** The replies of the `Replies` frame at `at` as plain `Reply` frames, one each. */
export function splitReplies(frames: Frames, at: number): Frames[] {
  const first = frames[at + 1] as number
  const count = frames[at + 2] as number
  const split: Frames[] = []
  for (let i = 0; i < count; i++) split.push([REPLY, first + i, REPLY_OK, frames[at + REPLY_RUN_HEAD + i]])
  return split
}

export interface DeadLetterHandler {
  /** `sender` is an actor on the thread the frame came from, or 0. */
  deadLetter(recipient: number, sender: number, reason: DeadLetterReason, selector: Selector, body: unknown): void
}

export function writeDeadLetter(frames: Frames, recipient: number, sender: number, reason: DeadLetterReason, selector: Selector, body: unknown): void {
  frames.push(DEAD_LETTER, recipient, sender, reason, selector, body)
}

export function readDeadLetter(frames: Frames, at: number, handler: DeadLetterHandler): void {
  handler.deadLetter(frames[at + 1] as number, frames[at + 2] as number, frames[at + 3] as DeadLetterReason, frames[at + 4] as Selector, frames[at + 5])
}

export interface RoutedHandler {
  /** `routee` has processed one message the local router `router` forwarded. */
  routed(router: number, routee: number): void
}

export function writeRouted(frames: Frames, router: number, routee: number): void {
  frames.push(ROUTED, router, routee)
}

export function readRouted(frames: Frames, at: number, handler: RoutedHandler): void {
  handler.routed(frames[at + 1] as number, frames[at + 2] as number)
}

export interface CreditHandler {
  granted(target: number, count: number): void
}

export function writeCredit(frames: Frames, target: number, count: number): void {
  frames.push(CREDIT, target, count)
}

export function readCredit(frames: Frames, at: number, handler: CreditHandler): void {
  handler.granted(frames[at + 1] as number, frames[at + 2] as number)
}

export interface ReroutedHandler {
  rehome(correlation: number, thread: number): void
}

export function writeRerouted(frames: Frames, correlation: number, thread: number): void {
  frames.push(REROUTED, correlation, thread)
}

export function readRerouted(frames: Frames, at: number, handler: ReroutedHandler): void {
  handler.rehome(frames[at + 1] as number, frames[at + 2] as number)
}

export interface SettledHandler {
  /** The peer refused the message in `slot` of this thread's slab `slab`. */
  refused(slab: number, slot: number): void
}

export function writeSettled(frames: Frames, slab: number, slot: number): void {
  frames.push(SETTLED, slab, slot)
}

export function readSettled(frames: Frames, at: number, handler: SettledHandler): void {
  handler.refused(frames[at + 1] as number, frames[at + 2] as number)
}

export interface SelectorHandler {
  /** The peer interned `name` as `id` on this link. */
  define(id: number, name: string): void
}

export function writeSelector(frames: Frames, id: number, name: string): void {
  frames.push(SELECTOR, id, name)
}

export function readSelector(frames: Frames, at: number, handler: SelectorHandler): void {
  handler.define(frames[at + 1] as number, frames[at + 2] as string)
}

// ---- Ledger --------------------------------------------------------------------------------------

/** Opens a batch to a worker; the region is filled in by `fillLedger` when the batch is sent. */
export function writeLedger(frames: Frames): void {
  frames.push(LEDGER, -1, 0)
}

/** Names the batch's ledger region: `slab` from `offset`, one byte per message. */
export function fillLedger(frames: Frames, slab: number, offset: number): void {
  frames[1] = slab
  frames[2] = offset
}

/** The slab of a `Ledger` frame (-1: the batch has no delivery). */
export function readLedgerSlab(frames: Frames, at: number): number {
  return frames[at + 1] as number
}

/** The first byte of a `Ledger` frame's region in its slab. */
export function readLedgerOffset(frames: Frames, at: number): number {
  return frames[at + 2] as number
}
