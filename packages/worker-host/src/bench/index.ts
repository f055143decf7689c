// The benchmark harness's public part: workloads, the scaling run, and the statistics behind it.
export { defineWorkload, isWorkload, WorkloadDefinitionError } from './workload.js'
export type { Workload, WorkloadContext, WorkloadDefinition } from './workload.js'
export { benchWorkload, DEFAULT_PAIRS, roundOrder } from './scaling.js'
export type { BenchWorkloadOptions, ScalingProgress } from './scaling.js'
export type { ScalingReport, ScalingRow, ScalingSettings, ThroughputSummary } from './scaling-report.js'
export { WorkloadRunError } from './run-once.js'
export { scalingSvg } from './svg.js'
export { scalingTable } from './table.js'
// The progress display of long runs (a cli-progress bar on a terminal), shared with the repository's suite.
export { TerminalBar } from './terminal-bar.js'
export type { TerminalStream } from './terminal-bar.js'
export { captureLines } from './capture-lines.js'
export type { CapturedStream } from './capture-lines.js'
export { remainingMs } from './eta.js'
export { describeMachine, machineSnapshot, machineWarnings, parseProcStat } from './machine.js'
export type { CpuTimes, MachineReport, MachineSnapshot } from './machine.js'
export {
  bootstrapInterval,
  DEFAULT_CONFIDENCE,
  DEFAULT_RESAMPLES,
  judge,
  MIN_DECISIVE_SAMPLES,
  median,
  pairedRatios,
  percentile,
  seededRandom,
  seedOf,
  summarizeSamples,
  verdictOf,
} from './stats.js'
export type { BenchGoal, BenchVerdict, BootstrapOptions, Interval, SampleSummary } from './stats.js'
