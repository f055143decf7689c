// The baseline registry: hand-written transports (and raw LMDB, NATS and JetStream) that troupe's figures are divided by.
import type { BenchmarkDefinition } from '../harness.js'
import { comlinkPipelined } from './comlink-ask.js'
import { piscinaTasks } from './piscina.js'
import { poolifierTasks } from './poolifier.js'
import { portAskLatencyP50, portAskPipelined } from './port-ask.js'
import { portBatched, portPerMessage } from './port-stream.js'
import { portPingPong } from './port-pingpong.js'
import { lmdbPut } from './lmdb-put.js'
import { natsPub } from './nats-pub.js'
import { natsRequestLatencyP50 } from './nats-request.js'
import { jetstreamConsume } from './jetstream-consume.js'

export const baselineBenchmarks: readonly BenchmarkDefinition[] = [
  portPerMessage,
  portBatched,
  portAskPipelined,
  portAskLatencyP50,
  portPingPong,
  comlinkPipelined,
  piscinaTasks,
  poolifierTasks,
  lmdbPut,
  natsPub,
  natsRequestLatencyP50,
  jetstreamConsume,
]
