// A worker of kv.mutex.atomics: one task's ops on the table shared by every worker, each op
// under the one mutex that guards the whole table.
import { parentPort, workerData } from 'node:worker_threads'
import { hasKind } from '../baselines/worker-protocol.js'
import { SharedMutex } from './counter-contention-mutex.js'
import { KV_MUTEX_INDEX, KV_VALUES, type KvMutexWorkerData, type KvRanReport, type KvRunCommand } from './kv-mutex-protocol.js'
import { ABSENT, TaskOps } from './kv-workload.js'

if (parentPort === null) throw new Error('must run as a worker')
const control = parentPort
const cells = new Int32Array((workerData as KvMutexWorkerData).shared)
const mutex = new SharedMutex(cells, KV_MUTEX_INDEX)
const isRun = hasKind<KvRunCommand>('kv-run')

/**
 * One lock for the whole table, as a map shared between threads needs: a real one rehashes and
 * resizes under it. Here the table is a fixed array indexed by key, so the lock only orders
 * plain reads and writes, and the figure is the cost of the lock and the shared cache lines.
 */
function run(command: KvRunCommand): KvRanReport {
  const ops = new TaskOps(command.task, command.seed)
  let staleReads = 0
  for (let n = 0; n < command.ops; n++) {
    const op = ops.next()
    const slot = KV_VALUES + op.key
    mutex.lock()
    let got = 0
    if (op.kind === 'set') cells[slot] = op.value
    else if (op.kind === 'delete') cells[slot] = ABSENT
    else got = cells[slot]!
    mutex.unlock()
    if (op.kind === 'get' && got !== ops.expected(op.key)) staleReads++
  }
  return { kind: 'kv-ran', staleReads, model: [...ops.model] }
}

control.on('message', (message: unknown) => {
  if (isRun(message)) control.postMessage(run(message))
})
control.postMessage({ kind: 'ready' })
