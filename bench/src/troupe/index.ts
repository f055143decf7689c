// troupe's own benchmarks (tell.*, ask.*), registered by the runtime work; ratios pair them with the baselines.
import type { BenchmarkDefinition } from '../harness.js'

export const troupeBenchmarks: BenchmarkDefinition[] = []
