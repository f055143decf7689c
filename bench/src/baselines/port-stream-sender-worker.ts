// Worker A of the stream baselines: encodes { type: 'inc', n } messages and posts them straight to worker B.
import { parentPort, workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { absoluteNowMs } from './clock.js'
import { incMessage } from './inc-message.js'
import type { IncMessage } from './inc-message.js'
import { encodeForPost } from './msgpack-wire.js'
import { isSend } from './port-stream-protocol.js'
import type { SentReport, StreamWorkerData } from './port-stream-protocol.js'

if (parentPort === null) throw new Error('must run as a worker')
const control = parentPort
const { port } = workerData as StreamWorkerData

function postOneByOne(target: MessagePort, count: number): void {
  for (let n = 0; n < count; n++) {
    const buffer = encodeForPost(incMessage(n))
    target.postMessage(buffer, [buffer])
  }
}

function postBatched(target: MessagePort, count: number, batchSize: number): void {
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count)
    const batch: IncMessage[] = []
    for (let n = start; n < end; n++) batch.push(incMessage(n))
    const buffer = encodeForPost(batch)
    target.postMessage(buffer, [buffer])
  }
}

control.on('message', (message: unknown) => {
  if (!isSend(message)) return
  const startedAt = absoluteNowMs()
  // A tight loop with no flow control: the fastest a hand-written sender can go; B drains concurrently.
  if (message.batchSize === 1) postOneByOne(port, message.count)
  else postBatched(port, message.count, message.batchSize)
  const report: SentReport = { kind: 'sent', startedAt }
  control.postMessage(report)
})
control.postMessage({ kind: 'ready' })
