// Worker B of the stream baselines: decodes every message (single or batch) and reports when all arrived.
import { parentPort, workerData } from 'node:worker_threads'
import { absoluteNowMs } from './clock.js'
import type { IncMessage } from './inc-message.js'
import { decodePosted } from './msgpack-wire.js'
import { isExpect } from './port-stream-protocol.js'
import type { ArmedReport, DecodedReport, StreamWorkerData } from './port-stream-protocol.js'

if (parentPort === null) throw new Error('must run as a worker')
const control = parentPort
const { port } = workerData as StreamWorkerData

let expected = 0
let received = 0
let checksum = 0

function finishIfComplete(): void {
  if (received !== expected) return
  const report: DecodedReport = { kind: 'decoded', finishedAt: absoluteNowMs(), checksum }
  control.postMessage(report)
}

port.on('message', (buffer: ArrayBuffer) => {
  const decoded = decodePosted(buffer)
  // Trusted peer: a cast instead of validation, as a hand-written fast path would do.
  if (Array.isArray(decoded)) {
    for (const message of decoded as IncMessage[]) checksum += message.n
    received += decoded.length
  } else {
    checksum += (decoded as IncMessage).n
    received += 1
  }
  finishIfComplete()
})

control.on('message', (message: unknown) => {
  if (!isExpect(message)) return
  expected = message.count
  received = 0
  checksum = 0
  const report: ArmedReport = { kind: 'armed' }
  control.postMessage(report)
})
control.postMessage({ kind: 'ready' })
