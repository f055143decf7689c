// Both workers of baseline.port.pingpong. `pong` answers each message with the same message;
// `ping` sends the next only when the previous came back: one message in flight, msgpack-encoded
// and transferred both ways, as troupe's actors do it (Savina PingPong on a raw port).
import { parentPort, workerData } from 'node:worker_threads'
import { absoluteNowMs } from './clock.js'
import { incMessage, type IncMessage } from './inc-message.js'
import { decodePosted, encodeForPost } from './msgpack-wire.js'
import { isPing, type PingedReport, type PingPongWorkerData } from './port-pingpong-protocol.js'

if (parentPort === null) throw new Error('must run as a worker')
const control = parentPort
const { port, role } = workerData as PingPongWorkerData

const post = (message: IncMessage): void => {
  const buffer = encodeForPost(message)
  port.postMessage(buffer, [buffer])
}

if (role === 'pong') {
  port.on('message', (buffer: ArrayBuffer) => post(decodePosted(buffer) as IncMessage))
} else {
  let left = 0
  let checksum = 0
  let startedAt = 0
  port.on('message', (buffer: ArrayBuffer) => {
    checksum += (decodePosted(buffer) as IncMessage).n
    if (--left > 0) {
      post(incMessage(left))
      return
    }
    const report: PingedReport = { kind: 'pinged', startedAt, finishedAt: absoluteNowMs(), checksum }
    control.postMessage(report)
  })
  control.on('message', (message: unknown) => {
    if (!isPing(message)) return
    left = message.count
    checksum = 0
    startedAt = absoluteNowMs()
    post(incMessage(left))
  })
}
control.postMessage({ kind: 'ready' })
