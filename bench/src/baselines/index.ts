// The baseline registry: hand-written transports (and raw LMDB) that troupe's figures are divided by.
import type { BenchmarkDefinition } from '../harness.js'
import { comlinkPipelined } from './comlink-ask.js'
import { piscinaTasks } from './piscina.js'
import { poolifierTasks } from './poolifier.js'
import { portAskLatencyP50, portAskPipelined } from './port-ask.js'
import { portBatched, portPerMessage } from './port-stream.js'
import { portPingPong } from './port-pingpong.js'
import { lmdbPut } from './lmdb-put.js'

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
]
