// cluster.ask.latency.p50: one ask in flight from an actor of node a to an actor of node b, over
// NATS. The numerator of P26, against baseline.nats.request.latency.p50 (raw NATS request-reply).
import { natsServerMissing } from '../baselines/nats.js'
import type { BenchmarkDefinition } from '../harness.js'
import { percentile } from '../stats.js'
import { RemoteAsker } from './cluster-actors.js'
import { DEFAULT_TIMING, withClusterPair } from './cluster-pair.js'
import { check } from './system.js'

const id = 'cluster.ask.latency.p50'

/**
 * A RemoteAsker on node a's worker (the worker-to-worker path, as a real caller would be, not
 * the main thread) asks node b's Incrementer inc(n), one in flight: an untimed half first, then
 * the timed calls; the figure is the median round trip in µs. Every answer must be n + 1 (the
 * asker throws otherwise, failing the run). The same counts as the baseline.
 */
async function clusterAskRun(quick: boolean): Promise<number> {
  const calls = quick ? 1000 : 2000
  return withClusterPair(id, { timing: DEFAULT_TIMING }, async (system, b) => {
    const asker = await system.spawn(RemoteAsker, { placement: { worker: 0 } })
    check(`${id}: asker thread`, await asker.ask.thread(), 1)
    check(`${id}: incrementer's node`, b.incrementer.address.node, b.id)
    await asker.ask.roundTrips(b.incrementer, calls / 2)
    const samples = await asker.ask.roundTrips(b.incrementer, calls)
    check(`${id}: round trips`, samples.length, calls)
    return percentile(samples, 0.5)
  })
}

export const clusterAskLatencyP50: BenchmarkDefinition = {
  id,
  unit: 'us',
  requires: natsServerMissing,
  run: clusterAskRun,
}
