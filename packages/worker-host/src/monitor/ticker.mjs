// The ticker thread: writes the coarse clock of a MonitorBoard (see monitor-board.ts) about once
// a millisecond while any thread is in a dispatcher turn, and sleeps while none is, so an idle
// system costs no wake-ups. Plain JavaScript: it needs no TypeScript loader and no troupe code.
import { workerData } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'

const NOW = 0
const SLEEPING = 1
const BUSY = 2
/** Ticks without any thread in a turn before the ticker goes to sleep. */
const IDLE_TICKS = 50

const slots = new Int32Array(workerData.buffer)
const tickMs = workerData.tickMs
const start = performance.now()
let idle = 0
for (;;) {
  Atomics.store(slots, NOW, Math.floor(performance.now() - start))
  if (Atomics.load(slots, BUSY) > 0) idle = 0
  else if (++idle >= IDLE_TICKS) {
    Atomics.store(slots, SLEEPING, 1)
    // A thread that entered a turn before SLEEPING was set did not wake us: look again.
    if (Atomics.load(slots, BUSY) === 0) Atomics.wait(slots, SLEEPING, 1)
    Atomics.store(slots, SLEEPING, 0)
    idle = 0
    continue
  }
  Atomics.wait(slots, SLEEPING, 0, tickMs)
}
