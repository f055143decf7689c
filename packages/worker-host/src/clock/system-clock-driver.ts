import type { ClockDriver } from './manual-clock.js'
import type { VirtualClock } from './virtual-clock.js'
import type { WorkerHandle } from '../system/worker-handle.js'

/**
 * Drives a `ManualClock` across a running system's threads: main's timers directly, each
 * worker's over the control plane. A worker that dies meanwhile has no timers any more (its
 * replacement starts with none), so a failed call counts as "nothing due".
 */
export function systemClockDriver(main: VirtualClock, workers: () => readonly WorkerHandle[]): ClockDriver {
  return {
    async nextDue() {
      const live = workers().filter((worker) => worker.alive)
      const dues = await Promise.all(live.map((worker) => worker.call((control) => control.clockNext()).catch(() => Number.POSITIVE_INFINITY)))
      return [{ thread: 0, due: main.nextDue() }, ...live.map((worker, i) => ({ thread: worker.thread, due: dues[i]! }))]
    },
    async fire(threads) {
      for (const thread of threads) {
        if (thread === 0) main.fireDue()
        else await workers()[thread - 1]?.call((control) => control.clockFire()).catch(() => 0)
      }
    },
    // What the timers started runs on its own threads; main lets its own queued work run.
    settle: () => new Promise((resolve) => setImmediate(resolve)),
  }
}
