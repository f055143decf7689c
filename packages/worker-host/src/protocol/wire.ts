/**
 * The data-plane wire protocol between threads: every frame kind, its layout, and its writer
 * and reader side by side. A batch is one msgpack array holding frames back to back; the first
 * slot of a frame says what it is. Frames are flat (no per-frame array) because one `pack` over
 * a flat array is the cheapest encoding msgpackr offers. Readers take the batch and the index
 * of the frame's first slot, so reading allocates nothing but the envelope a message needs.
 *
 *   Deliver      target(>0), sender, correlation, selector, body
 *   Run          DELIVER_RUN, target, sender, selector, count, correlation, body × count
 *   Reply        REPLY, correlation, status, value
 *   DeadLetter   DEAD_LETTER, recipient, sender, reason, selector, body    (to the main thread)
 *   Prioritised  DELIVER_PRIORITY, target, sender, correlation, selector, body, priority
 *   Forward      FORWARD, target, sender, senderThread, correlation, selector, body, priority, router
 *   Routed       ROUTED, router, routee
 *   Credited     DELIVER_CREDITED, target, sender, correlation, selector, body, priority
 *   Credit       CREDIT, target, count
 *   Rerouted     REROUTED, correlation, thread
 *   Ledger       LEDGER, slab, offset                                      (first frame of a batch to a worker)
 *   Settled      SETTLED, slab, slot                                       (back to the sender)
 *   Chained      DELIVER_CHAIN, target, sender, correlation, selector, body, priority, chain
 *   Selector     SELECTOR, id, name                                        (defines an interned selector)
 *   Replies      REPLY_RUN, correlation, count, value × count               (successful replies in a row)
 *
 * - `sender` is the sending actor's id, or 0 when the message was sent from outside an actor.
 *   The sender lives on the thread at the other end of the channel the batch came over.
 * - `correlation` is 0 for a tell; for an ask, the reply carries it back over the same channel;
 *   negative for a `send`, acknowledged (as the positive id) once the mailbox accepts it.
 * - A message with a priority other than normal uses the prioritised frame, so the common case
 *   keeps five slots.
 * - Messages in a row from one sender to one actor with one selector (a stream, pipelined asks)
 *   share one `Run` frame: its head once, then one slot per message. They are all tells
 *   (`correlation` 0), or all asks with consecutive correlations (message i has `correlation + i`).
 *   The sender turns a plain `Deliver` into a run when the next message matches it, so a lone
 *   message still costs five slots. Successful replies to consecutive correlations share a
 *   `Replies` frame the same way.
 * - `selector` is a method name, `RECEIVE` (0) for `receive(msg)`, or a system selector (< 0).
 *   On the wire a method name is usually a number > 0 instead: the sender interns the names it
 *   sends on a link and defines each number once, in a `Selector` frame ahead of its first use
 *   (see transport/selector-table.ts). Readers turn the numbers back into the names.
 * - `body` is the argument array of a method call, or the message itself for `receive`.
 * - A router forwards a message with its original sender, sender thread and correlation, so
 *   the routee replies straight to the asker; `priority` is null for normal. `router` is the
 *   router's id when it wants to hear when the routee has processed the message (a `Routed`
 *   frame back to it), else 0.
 * - A message to an actor with a flow-controlled (`backpressure`) mailbox spends one of the
 *   sending thread's credits for that actor and travels as `Credited` (`priority` null for
 *   normal); once it leaves the mailbox, the consumer's thread gives the credit back with a
 *   `Credit` frame (counts add up per turn).
 * - A router that forwards an ask to a routee on another thread tells the asker's thread where
 *   the ask now waits (`Rerouted`), so it fails at once if that thread dies.
 * - Accounted delivery: a batch sent to a worker (a thread that can die on its own) starts with
 *   a `Ledger` frame naming a region of shared memory, one byte per message of the batch (one
 *   per Deliver, Prioritised, Credited, Forward and Chained frame, `count` per Run), in order
 *   (`slab` -1: the batch has none). The
 *   receiver writes each byte when that message reaches its end (processed, answered, or
 *   refused); the sender keeps the batch until every byte is written, and when the worker dies
 *   it reads the bytes to know exactly which messages were not processed. The receiver never
 *   reports a dead letter for such a message itself: it writes the reason's code in the byte and
 *   sends `Settled` back, and the sender, which still holds the message, reports it. So a dead
 *   letter is reported exactly once even when the receiver dies right after refusing it.
 * - An ask sent from inside a handler that belongs to a call chain (reentrancy, see
 *   docs/reentrancy.md) carries the chain's id in a `Chained` frame (`priority` null for normal).
 *   It is a delivery frame like Deliver and Prioritised. Messages without a chain never use it,
 *   so they pay nothing for reentrancy.
 */
import type { DeadLetterReason, MessagePriority } from '@troupe/core'
import type { Selector } from '@troupe/core/internal'
import { envelope, type Envelope, type Route } from '../host/envelope.js'
import type { InboundSlab } from '../transport/ledger.js'

/** A batch: frames back to back, as packed. */
export type Frames = unknown[]

// Frame kinds: the first slot of every frame but a plain delivery, whose first slot is its
// target (> 0). Plain module constants, not a `const enum`: with `isolatedModules` the compiler
// does not write a `const enum`'s numbers into other modules, and reading an enum object's
// property on every frame would cost the hot loops more than these constants do.
export const REPLY = -1
export const DEAD_LETTER = -2
export const DELIVER_PRIORITY = -4
export const FORWARD = -5
export const ROUTED = -6
export const DELIVER_CREDITED = -7
export const CREDIT = -8
export const REROUTED = -9
export const LEDGER = -10
export const SETTLED = -11
export const DELIVER_CHAIN = -12
export const SELECTOR = -13
export const DELIVER_RUN = -14
export const REPLY_RUN = -15

// Slots of each kind of frame, its first slot included.
export const DELIVER_SLOTS = 5
export const REPLY_SLOTS = 4
export const DEAD_LETTER_SLOTS = 6
export const DELIVER_PRIORITY_SLOTS = 7
export const FORWARD_SLOTS = 9
export const ROUTED_SLOTS = 3
export const DELIVER_CREDITED_SLOTS = 7
export const CREDIT_SLOTS = 3
export const REROUTED_SLOTS = 3
export const LEDGER_SLOTS = 3
export const SETTLED_SLOTS = 3
export const DELIVER_CHAIN_SLOTS = 8
export const SELECTOR_SLOTS = 3
/** Slots of a run before its bodies. */
export const DELIVER_RUN_HEAD = 6
/** Slots of a `Replies` frame before its values. */
export const REPLY_RUN_HEAD = 3

export const REPLY_OK = 0
export const REPLY_ERROR = 1
export type ReplyStatus = typeof REPLY_OK | typeof REPLY_ERROR

/** The first slot of the frame at `at`: its kind, or (> 0) the target of a plain delivery. */
export function frameKind(frames: Frames, at: number): number {
  return frames[at] as number
}

/** Whether the frame starting with `kind` delivers messages to an actor (and so has ledger bytes). */
export function isDelivery(kind: number): boolean {
  return kind > 0 || kind === DELIVER_PRIORITY || kind === DELIVER_CREDITED || kind === FORWARD || kind === DELIVER_CHAIN || kind === DELIVER_RUN
}

/** Messages in the frame at `at`: its ledger bytes (a run's count, 1 for another delivery, else 0). */
export function messagesIn(frames: Frames, at: number): number {
  const kind = frames[at] as number
  return kind === DELIVER_RUN ? (frames[at + 4] as number) : isDelivery(kind) ? 1 : 0
}

/** Slots of the frame at `at`, whatever its kind (a run's length depends on its count). */
export function frameLength(frames: Frames, at: number): number {
  const kind = frames[at] as number
  if (kind === DELIVER_RUN) return DELIVER_RUN_HEAD + (frames[at + 4] as number)
  if (kind === REPLY_RUN) return REPLY_RUN_HEAD + (frames[at + 2] as number)
  return frameSlots(kind)
}

/** Slots of the frame starting with `kind`. */
export function frameSlots(kind: number): number {
  if (kind > 0) return DELIVER_SLOTS
  switch (kind) {
    case REPLY:
      return REPLY_SLOTS
    case DEAD_LETTER:
      return DEAD_LETTER_SLOTS
    case DELIVER_PRIORITY:
      return DELIVER_PRIORITY_SLOTS
    case FORWARD:
      return FORWARD_SLOTS
    case ROUTED:
      return ROUTED_SLOTS
    case DELIVER_CREDITED:
      return DELIVER_CREDITED_SLOTS
    case CREDIT:
      return CREDIT_SLOTS
    case REROUTED:
      return REROUTED_SLOTS
    case LEDGER:
      return LEDGER_SLOTS
    case SETTLED:
      return SETTLED_SLOTS
    case DELIVER_CHAIN:
      return DELIVER_CHAIN_SLOTS
    case SELECTOR:
      return SELECTOR_SLOTS
    case DELIVER_RUN:
    case REPLY_RUN:
      throw new Error('protocol error: a run has no fixed length (use frameLength)')
    default:
      throw new Error(`protocol error: unknown frame kind ${String(kind)}`)
  }
}

// ---- Delivery frames ------------------------------------------------------------------------
// Readers build the message's envelope. `from` is the thread the batch came from (where the
// sender lives); `ledger` and `slot` are the message's byte in its sender's ledger, if any;
// `names` are the selectors interned on the link the frame travels (see `SELECTOR`).

/** A selector as written in a frame: a `Selector`, or the number (> 0) of an interned method name. */
export type WireSelector = Selector | number

/** The selector in slot `i`: an interned number becomes its name again. */
function selectorAt(frames: Frames, i: number, names: readonly string[]): Selector {
  const selector = frames[i] as WireSelector
  // An undefined number (a protocol bug) stays a number: the actor then refuses it as unknown.
  return typeof selector === 'number' && selector > 0 ? ((names[selector] ?? selector) as Selector) : (selector as Selector)
}

/** The target of any delivery frame. */
export function readTarget(frames: Frames, at: number): number {
  const kind = frames[at] as number
  return kind > 0 ? kind : (frames[at + 1] as number)
}

export function writeDeliver(frames: Frames, target: number, sender: number, correlation: number, selector: WireSelector, body: unknown): void {
  frames.push(target, sender, correlation, selector, body)
}

export function readDeliver(frames: Frames, at: number, from: number, names: readonly string[], ledger: InboundSlab | undefined, slot: number): Envelope {
  return envelope(frames[at + 1] as number, from, frames[at + 2] as number, selectorAt(frames, at + 3, names), frames[at + 4], undefined, undefined, -1, 0, ledger, slot)
}

/**
 * Adds a message to the frame at `at` (the last one written) if that frame is a message, or a
 * run, to the same actor from the same sender with the same selector, and this message continues
 * its correlations (tells: 0 after 0; asks: one more than the last); a lone `Deliver` becomes a
 * run. False if it does not match: the caller writes a frame of its own.
 */
export function extendRun(frames: Frames, at: number, target: number, sender: number, correlation: number, selector: WireSelector, body: unknown): boolean {
  const kind = frames[at] as number
  if (kind === DELIVER_RUN) {
    const count = frames[at + 4] as number
    const first = frames[at + 5] as number
    if (frames[at + 1] !== target || frames[at + 2] !== sender || frames[at + 3] !== selector) return false
    if (first === 0 ? correlation !== 0 : correlation !== first + count) return false
    frames[at + 4] = count + 1
    frames.push(body)
    return true
  }
  if (kind !== target || frames[at + 1] !== sender || frames[at + 3] !== selector) return false
  const previous = frames[at + 2] as number
  if (previous === 0 ? correlation !== 0 : previous < 0 || correlation !== previous + 1) return false
  const first = frames[at + 4]
  frames[at] = DELIVER_RUN
  frames[at + 1] = target
  frames[at + 2] = sender
  frames[at + 3] = selector
  frames[at + 4] = 2
  frames.push(previous, first, body)
  return true
}

/** The correlation of message `index` of the run at `at`. */
function runCorrelation(frames: Frames, at: number, index: number): number {
  const first = frames[at + 5] as number
  return first === 0 ? 0 : first + index
}

/** Message `index` of the run at `at` (its ledger byte is `slot`, when it has one). */
export function readRunMessage(frames: Frames, at: number, index: number, from: number, names: readonly string[], ledger: InboundSlab | undefined, slot: number): Envelope {
  const body = frames[at + DELIVER_RUN_HEAD + index]
  return envelope(frames[at + 2] as number, from, runCorrelation(frames, at, index), selectorAt(frames, at + 3, names), body, undefined, undefined, -1, 0, ledger, slot)
}

/** The messages of the run at `at` as plain `Deliver` frames, one each (to fail them one by one). */
export function splitRun(frames: Frames, at: number): Frames[] {
  const count = frames[at + 4] as number
  const split: Frames[] = []
  for (let i = 0; i < count; i++) split.push([frames[at + 1], frames[at + 2], runCorrelation(frames, at, i), frames[at + 3], frames[at + DELIVER_RUN_HEAD + i]])
  return split
}

export function writePrioritised(frames: Frames, target: number, sender: number, correlation: number, selector: WireSelector, body: unknown, priority: MessagePriority): void {
  frames.push(DELIVER_PRIORITY, target, sender, correlation, selector, body, priority)
}

export function readPrioritised(frames: Frames, at: number, from: number, names: readonly string[], ledger: InboundSlab | undefined, slot: number): Envelope {
  return envelope(frames[at + 2] as number, from, frames[at + 3] as number, selectorAt(frames, at + 4, names), frames[at + 5], frames[at + 6] as MessagePriority, undefined, -1, 0, ledger, slot)
}

export function writeCredited(frames: Frames, target: number, sender: number, correlation: number, selector: WireSelector, body: unknown, priority: MessagePriority | undefined): void {
  frames.push(DELIVER_CREDITED, target, sender, correlation, selector, body, priority ?? null)
}

/** `credit`: the thread whose credit the message spent (given back when it leaves the mailbox), -1 for none. */
export function readCredited(frames: Frames, at: number, from: number, names: readonly string[], credit: number, ledger: InboundSlab | undefined, slot: number): Envelope {
  const priority = (frames[at + 6] as MessagePriority | null) ?? undefined
  return envelope(frames[at + 2] as number, from, frames[at + 3] as number, selectorAt(frames, at + 4, names), frames[at + 5], priority, undefined, credit, 0, ledger, slot)
}

export function writeChained(frames: Frames, target: number, sender: number, correlation: number, selector: WireSelector, body: unknown, priority: MessagePriority | undefined, chain: number): void {
  frames.push(DELIVER_CHAIN, target, sender, correlation, selector, body, priority ?? null, chain)
}

export function readChained(frames: Frames, at: number, from: number, names: readonly string[], ledger: InboundSlab | undefined, slot: number): Envelope {
  const priority = (frames[at + 6] as MessagePriority | null) ?? undefined
  return envelope(frames[at + 2] as number, from, frames[at + 3] as number, selectorAt(frames, at + 4, names), frames[at + 5], priority, undefined, -1, frames[at + 7] as number, ledger, slot)
}

export function writeForward(
  frames: Frames,
  target: number,
  sender: number,
  senderThread: number,
  correlation: number,
  selector: WireSelector,
  body: unknown,
  priority: MessagePriority | undefined,
  router: number,
): void {
  frames.push(FORWARD, target, sender, senderThread, correlation, selector, body, priority ?? null, router)
}

/** Where a forwarded message's router is known (the router's route object, shared by its messages). */
export interface RouteBook {
  routeOf(router: number, thread: number): Route
}

/**
 * A forwarded message keeps its original sender thread. Its route (when its router wants a
 * report) comes from `routes`, for a router on `routerThread`; without `routes` it has none.
 */
export function readForward(
  frames: Frames,
  at: number,
  names: readonly string[],
  routes: RouteBook | undefined,
  routerThread: number,
  ledger: InboundSlab | undefined,
  slot: number,
): Envelope {
  const router = frames[at + 8] as number
  const route = router === 0 || routes === undefined ? undefined : routes.routeOf(router, routerThread)
  const priority = (frames[at + 7] as MessagePriority | null) ?? undefined
  return envelope(frames[at + 2] as number, frames[at + 3] as number, frames[at + 4] as number, selectorAt(frames, at + 5, names), frames[at + 6], priority, route, -1, 0, ledger, slot)
}

/**
 * Any delivery frame, as a message sent from this thread (`thread`): how a sender reads what it
 * still holds (a refusal, a death, a batch that failed to encode). `names` are the selectors it
 * interned on that link; `index` picks a message of a run. Credits and chains are not carried: a dead peer's windows are reset as
 * a whole, and only the receiver runs chains.
 */
export function readDelivery(frames: Frames, at: number, thread: number, names: readonly string[], routes?: RouteBook, index = 0): Envelope {
  const kind = frames[at] as number
  if (kind > 0) return readDeliver(frames, at, thread, names, undefined, 0)
  switch (kind) {
    case DELIVER_RUN:
      return readRunMessage(frames, at, index, thread, names, undefined, 0)
    case DELIVER_PRIORITY:
    case DELIVER_CREDITED:
    case DELIVER_CHAIN:
      return readCredited(frames, at, thread, names, -1, undefined, 0)
    case FORWARD:
      return readForward(frames, at, names, routes, thread, undefined, 0)
    default:
      throw new Error(`protocol error: frame kind ${String(kind)} is not a delivery`)
  }
}

/** The same delivery frame, without its body (the value that could not be encoded). Not for a run: split it first. */
export function clearBody(frames: Frames, at: number): void {
  const kind = frames[at] as number
  if (kind === DELIVER_RUN) throw new Error('protocol error: clearBody of a run')
  frames[at + (kind > 0 ? 4 : kind === FORWARD ? 6 : 5)] = undefined
}

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
