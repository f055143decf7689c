// baseline.port.pingpong: worker A <-> worker B over a direct MessageChannel, one message in
// flight (the raw-port side of the pingpong ratio; troupe's side is pingpong.cross-thread).
import { MessageChannel } from 'node:worker_threads'
import type { BenchmarkDefinition } from '../harness.js'
import { isPinged, type PingCommand, type PingPongWorkerData } from './port-pingpong-protocol.js'
import { withWorkers, type WorkerGroup } from './worker-group.js'

const ping = 0
/** Round trips per timed pass; each is two messages. */
const roundTrips = { full: 40_000, quick: 10_000 }

/** Sum of n over the pongs of `count` round trips (the ping counts down from `count` to 1). */
const checksumOf = (count: number): number => (count * (count + 1)) / 2

async function pass(group: WorkerGroup, count: number): Promise<number> {
  const done = group.nextMessage(ping, isPinged, 'ping loop')
  const command: PingCommand = { kind: 'ping', count }
  group.worker(ping).postMessage(command)
  const { startedAt, finishedAt, checksum } = await done
  if (checksum !== checksumOf(count)) throw new Error(`checksum ${checksum}, expected ${checksumOf(count)}`)
  const seconds = (finishedAt - startedAt) / 1000
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return (2 * count) / seconds
}

export const portPingPong: BenchmarkDefinition = {
  id: 'baseline.port.pingpong',
  unit: 'msg/s',
  run: (quick) => {
    const count = quick ? roundTrips.quick : roundTrips.full
    const { port1, port2 } = new MessageChannel()
    const pingData: PingPongWorkerData = { port: port1, role: 'ping' }
    const pongData: PingPongWorkerData = { port: port2, role: 'pong' }
    const url = new URL('./port-pingpong-worker.js', import.meta.url)
    return withWorkers(
      [
        { url, workerData: pingData, transferList: [port1] },
        { url, workerData: pongData, transferList: [port2] },
      ],
      async (group) => {
        await pass(group, Math.ceil(count / 4)) // untimed: both workers warm their paths
        return pass(group, count)
      },
    )
  },
}
