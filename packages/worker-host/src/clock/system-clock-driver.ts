import type { Host } from '../host/host.js'
import type { ClockDriver } from './manual-clock.js'
import type { VirtualClock } from './virtual-clock.js'
import type { WorkerHandle } from '../system/worker-handle.js'

/** Rounds of quiet `settle` waits for at most, so that a system that never goes quiet (a message loop) cannot hold `advance` forever. */
const MAX_SETTLE_ROUNDS = 1000

/**
 * Drives a `ManualClock` across a running system's threads: main's timers directly, each
 * worker's over the control plane. A worker that dies meanwhile has no timers any more (its
 * replacement starts with none), so a failed call counts as "nothing due".
 */
export function systemClockDriver(main: VirtualClock, mainHost: Host, workers: () => readonly WorkerHandle[]): ClockDriver {
  const progress = async (): Promise<{ processed: number; busy: boolean }> => {
    const answers = await Promise.all(workers().map((worker) => (worker.alive ? worker.call((control) => control.progress()).catch(() => ({ processed: 0, busy: false })) : { processed: 0, busy: false })))
    let processed = mainHost.dispatcher.processed
    let busy = mainHost.dispatcher.busy
    for (const answer of answers) {
      processed += answer.processed
      busy ||= answer.busy
    }
    return { processed, busy }
  }
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
    /**
     * What the timers started (messages, and the timers those set in turn) runs before time moves
     * on. Real threads give no global view of what is in flight, so this waits until two rounds
     * of questions to every thread in a row find no turn running and no message processed in
     * between: a batch still travelling between two workers shows up as progress in the next round.
     */
    async settle() {
      let before = -1
      for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
        await new Promise((resolve) => setImmediate(resolve))
        const now = await progress()
        if (!now.busy && now.processed === before) return
        before = now.processed
      }
    },
  }
}
