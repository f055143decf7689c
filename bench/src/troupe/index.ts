// troupe's own benchmarks (tell.*, ask.*, cluster.*, durable.*, pingpong.*, restart.*, offload.*, spawn.*, metrics.*, routing.*, cpu.*, testkit.*, entity.*, reminder.*); ratios pair them with the baselines.
import type { BenchmarkDefinition } from '../harness.js'
import { actorsAliveMax } from './alive-max.js'
import { askLatencyP50, askPipelined } from './ask.js'
import { clusterAskLatencyP50 } from './cluster-ask.js'
import { clusterDownDetectionMs } from './cluster-down.js'
import { clusterFailoverMs } from './cluster-failover.js'
import { clusterTell } from './cluster-tell.js'
import { actorCounter, mutexAtomics } from './counter-contention.js'
import { cpuBenchmarks } from './cpu.js'
import { durableHandlerRate } from './durable-handler.js'
import { kvBenchmarks } from './kv-contention.js'
import { memoryPerActor } from './memory.js'
import { metricsScrapeMs } from './metrics-scrape.js'
import { offloadActorCpu, offloadTasks } from './offload.js'
import { pingPongCrossThread } from './pingpong.js'
import { restartLatencyP50 } from './restart.js'
import { routingBenchmarks } from './routing.js'
import { savinaBenchmarks } from './savina/index.js'
import { skynet1m } from './skynet.js'
import { spawnRate } from './spawn-rate.js'
import { spawnRemoteRate } from './spawn-remote-rate.js'
import { testkitDeterministicMsgs } from './testkit-deterministic.js'
import { entityActivateRate, entityPersistRate, reminderLagP99 } from './entity.js'
import {
  tellCrossThread,
  tellCrossThreadMetrics,
  tellCrossThreadTraced,
  tellFloodCrossThread,
  tellFloodSameThread,
  tellSameThread,
  tellThroughputScaling,
} from './tell.js'

export const troupeBenchmarks: BenchmarkDefinition[] = [
  tellCrossThread,
  tellCrossThreadMetrics,
  tellCrossThreadTraced,
  tellSameThread,
  askPipelined,
  askLatencyP50,
  pingPongCrossThread,
  tellFloodCrossThread,
  tellFloodSameThread,
  ...tellThroughputScaling(),
  restartLatencyP50,
  offloadTasks,
  offloadActorCpu,
  skynet1m,
  memoryPerActor,
  spawnRate,
  spawnRemoteRate,
  metricsScrapeMs,
  actorsAliveMax,
  mutexAtomics,
  actorCounter,
  ...kvBenchmarks,
  ...savinaBenchmarks,
  ...routingBenchmarks,
  ...cpuBenchmarks,
  testkitDeterministicMsgs,
  entityActivateRate,
  entityPersistRate,
  reminderLagP99,
  clusterTell,
  clusterAskLatencyP50,
  clusterDownDetectionMs,
  clusterFailoverMs,
  durableHandlerRate,
]
