import type { ActorCell } from './actor-cell.js'
import type { Envelope } from './envelope.js'
import type { Reentrancy } from './reentrancy.js'

/**
 * The processing state of an `ActorCell`, as the layer it is built on (`DeferredWork`, in its
 * own module) reads and changes it.
 *
 * The state stays in private fields of `ActorCell`, because its per-message path reads them for
 * every message: moved to another object, each read would cost a load more. `ActorCell` grants
 * these accessors once, when its class is defined (a static block can reach its private fields),
 * so the layers below reach that state with nothing allocated per cell and nothing added to the
 * per-message path. Only that layer uses them.
 */
export interface CellState {
  /** Set for `reentrancy` other than 'none'. */
  reentry(cell: ActorCell): Reentrancy | undefined
  /** Counts restarts: callbacks of an earlier instance are ignored. */
  incarnation(cell: ActorCell): number
  /** Not scheduled: a handler is pending, or the cell is starting, failed or stopping. */
  busy(cell: ActorCell): boolean
  /** The running handler stashed its envelope: no reply for it now. */
  setStashedCurrent(cell: ActorCell, envelope: Envelope): void
  /** The running handler deferred the reply to its envelope. */
  setDeferred(cell: ActorCell, envelope: Envelope): void
}

/** The accessors `ActorCell` granted (set when its module is evaluated, before any cell exists). */
export let cellState: CellState

export function grantCellState(state: CellState): void {
  cellState = state
}
