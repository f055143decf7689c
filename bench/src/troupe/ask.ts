// ask.*: request-reply from the main thread to an actor on a worker.
import type { ActorRef } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { checkInc, pipelinedRate, roundTripsUs } from '../baselines/pipeline.js'
import { percentile } from '../stats.js'
import { Incrementer } from './actors.js'
import { withSystem } from './system.js'

const inFlight = 1000

function withIncrementer<T>(what: string, body: (target: ActorRef<Incrementer>) => Promise<T>): Promise<T> {
  return withSystem(1, what, async (system) => body(await system.spawn(Incrementer, { placement: { worker: 0 } })))
}

function pipelinedPass(target: ActorRef<Incrementer>, calls: number): Promise<number> {
  return pipelinedRate(calls, inFlight, async (i) => checkInc(i, await target.ask.inc(i)))
}

export const askPipelined: BenchmarkDefinition = {
  id: 'ask.pipelined',
  unit: 'calls/s',
  run: (quick) =>
    withIncrementer('ask.pipelined', async (target) => {
      const calls = quick ? 100_000 : 400_000
      await pipelinedPass(target, calls / 4)
      return pipelinedPass(target, calls)
    }),
}

export const askLatencyP50: BenchmarkDefinition = {
  id: 'ask.latency.p50',
  unit: 'us',
  run: (quick) =>
    withIncrementer('ask.latency.p50', async (target) => {
      const calls = quick ? 1000 : 2000
      await roundTripsUs(calls / 2, (n) => target.ask.inc(n))
      return percentile(await roundTripsUs(calls, (n) => target.ask.inc(n)), 0.5)
    }),
}
