import { Deque } from '@troupe/core/internal'
import { NOW, type MonitorBoard } from '../monitor/monitor-board.js'

/** What the dispatcher needs from an actor cell. */
export interface Runnable {
  /** True while the cell sits in the run-queue. Owned by the dispatcher. */
  scheduled: boolean
  /** Processes up to `budget` messages, fewer once `sliceOver()` says so; returns how many it took. */
  run(budget: number): number
  /** Whether the cell has messages it could process now. */
  readonly runnable: boolean
  /** Messages waiting in it (for load reports). */
  readonly waiting: number
}

/** Messages processed before the dispatcher yields to the event loop (I/O, timers, incoming batches). */
const TURN_BUDGET = 4096

/** Where the time slice is read when the host has no monitor board (unit tests): a clock that never moves. */
const STILL_CLOCK = new Int32Array(1)

export interface SliceOptions {
  /** The system's shared clock and progress counters. */
  board: MonitorBoard
  /** This thread's index on the board. */
  thread: number
  /** How long a turn may run before it yields, in ms. */
  sliceMs: number
}

/**
 * The per-thread run-queue. Ready actors take turns: each processes at most `throughput`
 * messages, then goes to the back of the queue (Akka's `throughput`), so a hot actor cannot
 * starve its neighbours. A turn ends when the queue is empty, `TURN_BUDGET` messages ran, or
 * its time slice is spent. Sends made during a turn are flushed by a microtask queued behind
 * it, so one turn's messages to a thread leave as one batch, and a turn cut short by its slice
 * lets those replies leave before the next turn starts (after `setImmediate`, so the event loop
 * also serves I/O and timers in between).
 */
export class Dispatcher {
  readonly #queue = new Deque<Runnable>(64)
  readonly #throughput: number
  readonly #slice: SliceOptions | undefined
  /** The coarse clock (slot NOW of the board); checked after each message, so it must be a plain load. */
  readonly clock: Int32Array
  /** The clock reading at which the current turn's slice is spent. */
  deadline = Number.POSITIVE_INFINITY
  #pending = false
  #halted = false
  #sinceYield = 0
  /** The cell inside `run()` right now. */
  #running: Runnable | undefined
  /** Total messages processed on this thread. */
  processed = 0
  /** Turns run so far (for tests and diagnostics). */
  turns = 0
  /** The actor whose handler is running synchronously right now: the implicit sender of its sends. */
  current: { readonly id: number } | undefined

  /** Deterministic mode: which of the `n` ready cells runs next, from the seed; otherwise the oldest. */
  readonly #choose: ((n: number) => number) | undefined

  constructor(throughput: number, slice?: SliceOptions, choose?: (n: number) => number) {
    this.#throughput = throughput
    this.#slice = slice
    this.#choose = choose
    this.clock = slice ? slice.board.slots : STILL_CLOCK
  }

  /** True once the running turn has used its time slice: a cell stops taking messages. */
  sliceOver(): boolean {
    return this.clock[NOW]! >= this.deadline
  }

  /**
   * Messages waiting in the cells queued to run: a load report's mailbox depth, in time that
   * follows the ready cells, not every actor of the thread (a million idle ones cost nothing).
   */
  queuedMessages(): number {
    let depth = 0
    for (let i = 0; i < this.#queue.length; i++) depth += this.#queue.at(i)!.waiting
    return depth
  }

  /** True while a turn runs or is queued to run. */
  get busy(): boolean {
    return this.#pending
  }

  /**
   * The thread is gone (a simulated worker that crashed or hung, in the test kit): nothing runs
   * here any more. A real thread simply ends; a simulated one shares its thread with the living.
   */
  halt(): void {
    this.#halted = true
    this.#queue.drain()
  }

  schedule(cell: Runnable): void {
    // The running cell is re-queued after its run if it still has messages (see #turn).
    if (cell.scheduled || cell === this.#running || this.#halted) return
    cell.scheduled = true
    this.#queue.push(cell)
    if (!this.#pending) {
      this.#pending = true
      this.#kick()
    }
  }

  /**
   * Starts the next turn: in a microtask while the thread has recently yielded, otherwise after
   * `setImmediate`. Counting across turns matters: a chain of async handlers resolving each other
   * schedules one small turn after another and would otherwise never let I/O in.
   */
  #kick(): void {
    if (this.#sinceYield >= TURN_BUDGET) setImmediate(this.#turnAfterYield)
    else queueMicrotask(this.#turn)
  }

  /**
   * The thread just served I/O (a batch arrived). Yielding exists to let I/O in, so the count
   * restarts: otherwise a busy receiver would process one budget per event-loop iteration while
   * the port delivers every queued batch in that iteration, and fall ever further behind.
   */
  ioServed(): void {
    this.#sinceYield = 0
  }

  readonly #turnAfterYield = (): void => {
    this.#sinceYield = 0
    this.#turn()
  }

  readonly #turn = (): void => {
    // `#pending` stays true for the whole turn: cells scheduled meanwhile join this turn's
    // queue, and at most one further turn is queued, at the end.
    this.turns++
    const slice = this.#slice
    if (slice !== undefined) {
      slice.board.enterTurn()
      this.deadline = this.clock[NOW]! + slice.sliceMs
    }
    let done = 0
    let outOfTime = false
    try {
      while (done < TURN_BUDGET) {
        if (this.#choose !== undefined && this.#queue.length > 1) this.#queue.swapToFront(this.#choose(this.#queue.length))
        const cell = this.#queue.shift()
        if (cell === undefined) break
        cell.scheduled = false
        this.#running = cell
        done += cell.run(this.#throughput)
        this.#running = undefined
        if (cell.runnable) {
          cell.scheduled = true
          this.#queue.push(cell)
        }
        if (this.clock[NOW]! >= this.deadline) {
          // Out of time: yield to the event loop, so what this turn sent leaves now.
          outOfTime = true
          break
        }
      }
    } finally {
      this.#running = undefined
      this.deadline = Number.POSITIVE_INFINITY
      if (slice !== undefined) slice.board.leaveTurn(slice.thread)
    }
    this.processed += done
    // A turn cut by its slice counts as a full budget: the next one starts after setImmediate.
    this.#sinceYield += outOfTime ? TURN_BUDGET : done
    if (this.#queue.length > 0) this.#kick()
    else this.#pending = false
  }
}
