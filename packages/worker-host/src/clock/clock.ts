/** A timer made by a `Clock`, to cancel with the same clock. */
export type Timer = object

/**
 * Where a thread reads the time and sets its timers: ask deadlines, `ctx.schedule`/`ctx.every`,
 * handler timeouts, supervision backoff. Real time by default; a system started with a
 * `ManualClock` (troupe/testkit) gets a `VirtualClock` on every thread instead, so a test moves
 * time with `clock.advance(ms)` and waits for nothing. Control-plane deadlines, the hang
 * watchdog and metrics stay on real time: they watch the machine, not the program.
 */
export interface Clock {
  /** Milliseconds, monotonic (`performance.now()` on the real clock). */
  now(): number
  /** Calls `callback` once `ms` have passed. `unref`: the timer does not keep the process alive. */
  setTimeout(callback: () => void, ms: number, unref?: boolean): Timer
  clearTimeout(timer: Timer | undefined): void
}

/** Real time: `performance.now()` and Node's timers. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout(callback, ms, unref = false) {
    const timer = setTimeout(callback, ms)
    if (unref) timer.unref()
    return timer
  },
  clearTimeout(timer) {
    if (timer !== undefined) clearTimeout(timer as NodeJS.Timeout)
  },
}

/** A promise that resolves after `ms` on `clock` (supervision backoff). It never holds the process open. */
export function sleepOn(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => void clock.setTimeout(resolve, ms, true))
}
