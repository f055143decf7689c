/**
 * Shared memory that every thread of a system can read without its event loop's help: a coarse
 * clock, written by the ticker thread, and one progress counter per thread.
 *
 * - The clock lets a dispatcher end a turn after a time budget without reading the system clock
 *   per message (`performance.now()` costs ~100-200 ns here, a typed-array load ~1 ns). It is
 *   coarse (the ticker writes it about once a millisecond) and may lag, never lead: a turn that
 *   started on a stale reading only yields earlier.
 * - The progress counters are how the main thread tells a busy worker from a stuck one: a thread
 *   bumps its counter at the end of every dispatcher turn (a time slice at most) and on every
 *   heartbeat. A counter that stands still for `handlerHangMs` means one synchronous stretch of
 *   code (a handler, a hook, a timer callback) has run that long.
 *
 * Layout (Int32 slots): NOW, SLEEPING, BUSY, (reserved), then one progress slot per thread.
 * Go's runtime does the same with its sysmon thread, which watches how long each goroutine has
 * run without doing any work on the goroutines' own threads.
 */
export const NOW = 0
/** 1 while the ticker sleeps because no thread is in a turn; a thread starting one wakes it. */
export const SLEEPING = 1
/** Threads inside a dispatcher turn right now. */
export const BUSY = 2
const PROGRESS = 4

export class MonitorBoard {
  readonly slots: Int32Array

  constructor(readonly buffer: SharedArrayBuffer) {
    this.slots = new Int32Array(buffer)
  }

  /** A board for the main thread and `workers` workers (thread indices 0..workers). */
  static create(workers: number): MonitorBoard {
    return new MonitorBoard(new SharedArrayBuffer((PROGRESS + workers + 1) * Int32Array.BYTES_PER_ELEMENT))
  }

  /** The coarse clock, in ms since the ticker started. */
  now(): number {
    return this.slots[NOW]!
  }

  /** A thread starts a turn: counted as busy, and the ticker woken if it sleeps. */
  enterTurn(): void {
    const slots = this.slots
    // Sequentially consistent on both sides (the ticker stores SLEEPING, then loads BUSY): either
    // the ticker sees this thread busy and stays awake, or this thread sees it asleep and wakes it.
    Atomics.add(slots, BUSY, 1)
    if (Atomics.load(slots, SLEEPING) !== 0 && Atomics.compareExchange(slots, SLEEPING, 1, 0) === 1) Atomics.notify(slots, SLEEPING)
  }

  /** A thread ends a turn: no longer busy, and its progress is visible. */
  leaveTurn(thread: number): void {
    Atomics.sub(this.slots, BUSY, 1)
    this.beat(thread)
  }

  /** The thread shows it is alive (a turn ended, or its heartbeat timer ran). Only it writes its slot. */
  beat(thread: number): void {
    this.slots[PROGRESS + thread] = (this.slots[PROGRESS + thread]! + 1) | 0
  }

  /** The progress counter of `thread`, as the main thread's watchdog reads it. */
  progress(thread: number): number {
    return Atomics.load(this.slots, PROGRESS + thread)
  }
}
