// baseline.port.per-message and baseline.port.batched: worker A -> worker B over a direct MessageChannel.
import { MessageChannel } from 'node:worker_threads'
import type { BenchmarkDefinition } from '../harness.js'
import { expectedChecksum } from './inc-message.js'
import { isArmed, isDecoded, isSent } from './port-stream-protocol.js'
import type { ExpectCommand, SendCommand, StreamWorkerData } from './port-stream-protocol.js'
import { withWorkers } from './worker-group.js'
import type { WorkerGroup } from './worker-group.js'

const sender = 0
const receiver = 1

interface StreamShape {
  readonly batchSize: number
  /** Messages per timed pass, sized for ~0.5-1 s (full) and ~0.1-0.2 s (quick) on a 2-core box. */
  readonly count: { readonly full: number; readonly quick: number }
}

/** One pass: arm B, start A, and time from A's first send until B decoded the last message. */
async function streamPass(group: WorkerGroup, count: number, batchSize: number): Promise<number> {
  const armed = group.nextMessage(receiver, isArmed, 'receiver arming')
  const expect: ExpectCommand = { kind: 'expect', count }
  group.worker(receiver).postMessage(expect)
  await armed

  const sent = group.nextMessage(sender, isSent, 'sender loop')
  const decoded = group.nextMessage(receiver, isDecoded, 'receiver decoding')
  const send: SendCommand = { kind: 'send', count, batchSize }
  group.worker(sender).postMessage(send)
  const [{ startedAt }, { finishedAt, checksum }] = await Promise.all([sent, decoded])

  if (checksum !== expectedChecksum(count)) throw new Error(`checksum ${checksum}, expected ${expectedChecksum(count)}`)
  const seconds = (finishedAt - startedAt) / 1000
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return count / seconds
}

async function streamRun(shape: StreamShape, quick: boolean): Promise<number> {
  const count = quick ? shape.count.quick : shape.count.full
  const { port1, port2 } = new MessageChannel()
  const senderData: StreamWorkerData = { port: port1 }
  const receiverData: StreamWorkerData = { port: port2 }
  return withWorkers(
    [
      { url: new URL('./port-stream-sender-worker.js', import.meta.url), workerData: senderData, transferList: [port1] },
      { url: new URL('./port-stream-receiver-worker.js', import.meta.url), workerData: receiverData, transferList: [port2] },
    ],
    async (group) => {
      // Untimed pass so both fresh workers have optimized their encode/decode paths.
      await streamPass(group, Math.ceil(count / 4), shape.batchSize)
      return streamPass(group, count, shape.batchSize)
    },
  )
}

function streamBenchmark(id: string, shape: StreamShape): BenchmarkDefinition {
  return { id, unit: 'msg/s', run: (quick) => streamRun(shape, quick) }
}

export const portPerMessage = streamBenchmark('baseline.port.per-message', {
  batchSize: 1,
  count: { full: 200_000, quick: 40_000 },
})

export const portBatched = streamBenchmark('baseline.port.batched', {
  batchSize: 256,
  count: { full: 256 * 12_000, quick: 256 * 2_400 },
})
