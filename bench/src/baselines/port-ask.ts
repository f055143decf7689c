// baseline.port.ask.pipelined and baseline.port.ask.latency.p50: main <-> one worker over a raw MessagePort.
import { MessageChannel } from 'node:worker_threads'
import type { BenchmarkDefinition } from '../harness.js'
import { percentile } from '../stats.js'
import { PortAskClient } from './port-ask-client.js'
import type { AskWorkerData } from './port-ask-protocol.js'
import { checkInc, pipelinedRate, roundTripsUs } from './pipeline.js'
import { withWorkers } from './worker-group.js'
import type { WorkerGroup } from './worker-group.js'

const inFlight = 1000

/** Opens a fresh worker and channel for one run; the client's port is closed afterwards so nothing lingers. */
async function withAskWorker<T>(body: (client: PortAskClient, group: WorkerGroup) => Promise<T>): Promise<T> {
  const { port1, port2 } = new MessageChannel()
  const data: AskWorkerData = { port: port2 }
  const client = new PortAskClient(port1)
  try {
    return await withWorkers(
      [{ url: new URL('./port-ask-worker.js', import.meta.url), workerData: data, transferList: [port2] }],
      (group) => body(client, group),
    )
  } finally {
    client.close()
  }
}

function pipelinedPass(client: PortAskClient, calls: number): Promise<number> {
  return pipelinedRate(calls, inFlight, async (i) => checkInc(i, await client.inc(i)))
}

export const portAskPipelined: BenchmarkDefinition = {
  id: 'baseline.port.ask.pipelined',
  unit: 'calls/s',
  run: (quick) =>
    withAskWorker(async (client, group) => {
      const calls = quick ? 20_000 : 75_000
      await group.guard(pipelinedPass(client, calls / 4), 'warm-up pass')
      return group.guard(pipelinedPass(client, calls), 'timed pass')
    }),
}

export const portAskLatencyP50: BenchmarkDefinition = {
  id: 'baseline.port.ask.latency.p50',
  unit: 'us',
  run: (quick) =>
    withAskWorker(async (client, group) => {
      const calls = quick ? 1000 : 2000
      await group.guard(roundTripsUs(calls / 2, (n) => client.inc(n)), 'warm-up pass')
      return percentile(await group.guard(roundTripsUs(calls, (n) => client.inc(n)), 'timed pass'), 0.5)
    }),
}
