// Server side of the raw-port request-reply baselines: decode, answer n + 1 with the same id, encode.
import { workerData, parentPort } from 'node:worker_threads'
import { decodePosted, encodeForPost } from './msgpack-wire.js'
import type { AskReply, AskRequest, AskWorkerData } from './port-ask-protocol.js'

if (parentPort === null) throw new Error('must run as a worker')
const { port } = workerData as AskWorkerData

port.on('message', (buffer: ArrayBuffer) => {
  const [id, request] = decodePosted(buffer) as AskRequest
  const reply: AskReply = [id, request.n + 1]
  const encoded = encodeForPost(reply)
  port.postMessage(encoded, [encoded])
})
parentPort.postMessage({ kind: 'ready' })
