// A worker of mutex.atomics: increments the shared counter `count` times, each under the shared mutex.
import { parentPort, workerData } from 'node:worker_threads'
import { hasKind } from '../baselines/worker-protocol.js'
import { COUNTER_INDEX, MUTEX_INDEX, SharedMutex } from './counter-contention-mutex.js'
import type { IncrementCommand, IncrementedReport, MutexWorkerData } from './counter-contention-mutex.js'

if (parentPort === null) throw new Error('must run as a worker')
const control = parentPort
const cells = new Int32Array((workerData as MutexWorkerData).shared)
const mutex = new SharedMutex(cells, MUTEX_INDEX)
const isIncrement = hasKind<IncrementCommand>('increment')

/** A plain (non-atomic) read-modify-write: only the mutex makes it safe. */
function increment(count: number): void {
  for (let n = 0; n < count; n++) {
    mutex.lock()
    cells[COUNTER_INDEX] = cells[COUNTER_INDEX]! + 1
    mutex.unlock()
  }
}

control.on('message', (message: unknown) => {
  if (!isIncrement(message)) return
  increment(message.count)
  const report: IncrementedReport = { kind: 'incremented' }
  control.postMessage(report)
})
control.postMessage({ kind: 'ready' })
