// troupe's own benchmarks (tell.*, ask.*); ratios pair them with the baselines.
import type { BenchmarkDefinition } from '../harness.js'
import { askLatencyP50, askPipelined } from './ask.js'
import { tellCreditCrossThread, tellCreditSameThread, tellCrossThread, tellSameThread, tellThroughputScaling } from './tell.js'

export const troupeBenchmarks: BenchmarkDefinition[] = [
  tellCrossThread,
  tellSameThread,
  askPipelined,
  askLatencyP50,
  tellCreditCrossThread,
  tellCreditSameThread,
  ...tellThroughputScaling(),
]
