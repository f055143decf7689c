// Savina programs on troupe (Imam & Sarkar, "Savina — An Actor Benchmark Suite", AGERE! 2014).
import type { BenchmarkDefinition } from '../../harness.js'
import { savinaBig } from './big.js'
import { savinaCount } from './count.js'
import { savinaFjCreate } from './fjcreate.js'
import { savinaFjThroughput } from './fjthrput.js'
import { savinaPingPong } from './pingpong.js'
import { savinaThreadRing } from './threadring.js'

/** Each figure is the seconds of one run of the program (lower is better); every run checks its answer. */
export const savinaBenchmarks: BenchmarkDefinition[] = [
  savinaPingPong,
  savinaCount,
  savinaFjThroughput,
  savinaFjCreate,
  savinaThreadRing,
  savinaBig,
]
