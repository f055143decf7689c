import type { Actor } from '@troupe/core'
import type { ActorCell } from './actor-cell.js'
import type { Envelope } from './envelope.js'
import type { MessageTarget } from './message-target.js'
import type { Reentrancy } from './reentrancy.js'

/**
 * The processing state of an `ActorCell`, as the layers it is built on (`CellLifecycle` and
 * `DeferredWork`, in their own modules) read and change it.
 *
 * The state stays in private fields of `ActorCell`, because its per-message path reads them for
 * every message: moved to another object, each read would cost a load more. `ActorCell` grants
 * these accessors once, when its class is defined (a static block can reach its private fields),
 * so the layers below reach that state with nothing allocated per cell and nothing added to the
 * per-message path. Only those layers use them.
 */
export interface CellState {
  instance(cell: ActorCell): MessageTarget | undefined
  /** A fresh instance takes over; the handlers looked up on the old one are forgotten. */
  adopt(cell: ActorCell, fresh: MessageTarget): void
  /** Builds a fresh instance (same class and constructor arguments), for restarts. */
  create(cell: ActorCell): Actor | undefined
  handlerTimeoutMs(cell: ActorCell): number | undefined
  /** Set for `reentrancy` other than 'none'. */
  reentry(cell: ActorCell): Reentrancy | undefined
  /** Counts restarts: callbacks of an earlier instance are ignored. */
  incarnation(cell: ActorCell): number
  nextIncarnation(cell: ActorCell): void
  stopped(cell: ActorCell): boolean
  markStopped(cell: ActorCell): void
  /** Failed, waiting for its supervisor's directive. */
  suspended(cell: ActorCell): boolean
  setSuspended(cell: ActorCell, suspended: boolean): void
  /** Not scheduled: a handler is pending, or the cell is starting, failed or stopping. */
  busy(cell: ActorCell): boolean
  setBusy(cell: ActorCell, busy: boolean): void
  /** Paused by its supervisor until its restart. */
  setPaused(cell: ActorCell, paused: boolean): void
  /** Work to run once the async handler in progress settles (a restart ordered meanwhile). */
  setAfterHandler(cell: ActorCell, then: () => void): void
  /** The running handler stashed its envelope: no reply for it now. */
  setStashedCurrent(cell: ActorCell, envelope: Envelope): void
  /** The running handler deferred the reply to its envelope. */
  setDeferred(cell: ActorCell, envelope: Envelope): void
  /** An async handler ran past `handlerTimeoutMs`: its late result is ignored. */
  setTimedOut(cell: ActorCell, envelope: Envelope): void
  /** The message is processed: its sender's ledger and a router that forwarded it hear so. */
  finished(cell: ActorCell, envelope: Envelope): void
  /** Runs one message through the cell (what its run loop does; an `Instrument` wraps it). */
  process(cell: ActorCell, envelope: Envelope): void
}

/** The accessors `ActorCell` granted (set when its module is evaluated, before any cell exists). */
export let cellState: CellState

export function grantCellState(state: CellState): void {
  cellState = state
}
