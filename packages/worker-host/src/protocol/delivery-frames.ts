// The frames that deliver messages to actors, each writer beside its reader (see wire.ts).
import type { MessagePriority } from '@troupe/core'
import type { Selector } from '@troupe/core/internal'
import { envelope, type Envelope, type Route } from '../host/envelope.js'
import type { InboundSlab } from '../transport/ledger.js'
import type { TraceCarrier } from '../tracing/thread-tracing.js'
import { DELIVER_CHAIN, DELIVER_CREDITED, DELIVER_PRIORITY, DELIVER_RUN, DELIVER_RUN_HEAD, DELIVER_TRACED, FORWARD, type Frames } from './frame-kinds.js'

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

export function writeTraced(
  frames: Frames,
  target: number,
  sender: number,
  correlation: number,
  selector: WireSelector,
  body: unknown,
  priority: MessagePriority | undefined,
  chain: number,
  trace: TraceCarrier,
): void {
  frames.push(DELIVER_TRACED, target, sender, correlation, selector, body, priority ?? null, chain, trace)
}

export function readTraced(frames: Frames, at: number, from: number, names: readonly string[], ledger: InboundSlab | undefined, slot: number): Envelope {
  const priority = (frames[at + 6] as MessagePriority | null) ?? undefined
  return envelope(frames[at + 2] as number, from, frames[at + 3] as number, selectorAt(frames, at + 4, names), frames[at + 5], priority, undefined, -1, frames[at + 7] as number, ledger, slot, frames[at + 8] as TraceCarrier)
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
    case DELIVER_TRACED:
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
