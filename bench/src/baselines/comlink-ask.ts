// baseline.comlink.pipelined: comlink calls from main to one worker, 1000 in flight (structured clone, no msgpack).
import { wrap } from 'comlink/dist/esm/comlink.mjs'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import type { BenchmarkDefinition } from '../harness.js'
import type { ComlinkIncApi } from './comlink-worker.js'
import { incMessage } from './inc-message.js'
import { checkInc, pipelinedRate } from './pipeline.js'
import { withWorkers } from './worker-group.js'

const inFlight = 1000

export const comlinkPipelined: BenchmarkDefinition = {
  id: 'baseline.comlink.pipelined',
  unit: 'calls/s',
  run: (quick) =>
    withWorkers([{ url: new URL('./comlink-worker.js', import.meta.url) }], async (group) => {
      const remote = wrap<ComlinkIncApi>(nodeEndpoint(group.worker(0)))
      const pass = (calls: number): Promise<number> =>
        pipelinedRate(calls, inFlight, async (i) => checkInc(i, await remote.inc(incMessage(i))))
      const calls = quick ? 10_000 : 50_000
      await group.guard(pass(calls / 4), 'warm-up pass')
      return group.guard(pass(calls), 'timed pass')
    }),
}
