// Persists a suite run as bench/results/latest.json, a dated JSON copy, latest.md and latest.svg.
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { MachineReport } from 'troupe'
import type { Unavailable } from './availability.js'
import type { BenchmarkResult } from './harness.js'
import type { RatioOutcome } from './ratios.js'

/** How the figures were measured: rounds, pairs, intervals, pinning. */
export interface MeasurementSettings {
  /** Timed rounds of each group that a ratio reads: the pairs of its ratios. */
  readonly pairs: number
  /** Timed runs of each benchmark in no ratio. */
  readonly runs: number
  /** Untimed rounds before the timed ones, in every group. */
  readonly warmupRounds: number
  /** Coverage of the ratios' bootstrap intervals. */
  readonly confidence: number
  /** The CPU list of `--pin` (taskset), or null when not pinned. */
  readonly pinnedCpus: string | null
  /** Wall time of the whole run, in seconds. */
  readonly seconds: number
}

export interface SuiteReport {
  readonly node: string
  readonly cpus: number
  readonly cpuModel: string
  readonly date: string
  readonly quick: boolean
  readonly results: readonly BenchmarkResult[]
  readonly ratios: readonly RatioOutcome[]
  readonly measurement: MeasurementSettings
  /** Load, steal time and warnings over the run. */
  readonly machine: MachineReport
  /** Selected benchmarks this machine could not run (see availability.ts), with the reason. */
  readonly skipped: readonly Unavailable[]
}

/** bench/results, resolved from bench/dist/results-file.js so the cwd does not matter. */
export const resultsDirectory = fileURLToPath(new URL('../results/', import.meta.url))

export function describeSuite(
  quick: boolean,
  results: readonly BenchmarkResult[],
  ratios: readonly RatioOutcome[],
  date: Date,
  measurement: MeasurementSettings,
  machine: MachineReport,
  skipped: readonly Unavailable[] = [],
): SuiteReport {
  return {
    node: machine.node,
    cpus: machine.cpus,
    cpuModel: machine.cpuModel,
    date: date.toISOString(),
    quick,
    // Copied field by field so the file's shape is exactly the documented one (older fields first).
    results: results.map(({ id, unit, median, min, max, runs, samples }) => ({ id, unit, median, min, max, runs, samples: [...samples] })),
    ratios: ratios.map(({ id, name, value, goal, meets, kind, pairs, interval, verdict }) => ({
      id,
      name,
      value,
      goal: goal === null ? null : { op: goal.op, value: goal.value },
      meets,
      kind,
      pairs,
      interval: interval === null ? null : [interval[0], interval[1]],
      verdict,
    })),
    measurement: { ...measurement },
    machine: { ...machine },
    skipped: skipped.map(({ id, reason }) => ({ id, reason })),
  }
}

/** The JSON written to latest.json and the dated copy. */
export function reportJson(report: SuiteReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** Colons are not portable in file names, so 2025-01-02T03:04:05.678Z becomes 2025-01-02T03-04-05Z. */
function datedName(isoDate: string): string {
  return `${isoDate.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`
}

const fixed = (n: number | null, digits: number): string => (n === null ? 'n/a' : n.toFixed(digits))

/** The machine's state and how the figures were measured, for latest.md. */
export function machineLines(report: SuiteReport): string[] {
  const { machine, measurement } = report
  const load = (values: readonly number[]): string => values.map((v) => v.toFixed(2)).join(' / ')
  const lines = [
    `Node ${report.node}, ${report.cpus} × ${report.cpuModel}${measurement.pinnedCpus === null ? '' : `, pinned to CPU ${measurement.pinnedCpus} (taskset)`}`,
    '',
    `Load average (1 / 5 / 15 min): ${load(machine.loadAverage.start)} at the start, ${load(machine.loadAverage.end)} at the end; ` +
      `CPU steal ${fixed(machine.stealPercent, 1)}%, CPUs busy ${fixed(machine.busyPercent, 0)}% over the run ` +
      `(other processes ${fixed(machine.otherPercent ?? null, 0)}%).`,
    '',
    `${measurement.pairs} pairs per ratio, ${measurement.runs} runs per other benchmark, after ${measurement.warmupRounds} warm-up round(s); ` +
      `${Math.round(measurement.confidence * 100)}% bootstrap intervals; the run took ${(measurement.seconds / 60).toFixed(1)} min.`,
  ]
  for (const warning of machine.warnings) lines.push('', `> **Warning:** ${warning}. Figures from this run are doubtful; compare ratios only where their intervals say met or not met.`)
  return lines
}

/** The benchmarks skipped on this machine, for latest.md (nothing when none was). */
export function skippedLines(report: SuiteReport): string[] {
  if (report.skipped.length === 0) return []
  return ['**Skipped** (selected, but this machine cannot run them):', '', ...report.skipped.map(({ id, reason }) => `- \`${id}\`: ${reason}`), '']
}

function markdownDocument(report: SuiteReport, resultsMarkdown: string, ratiosMarkdown: string): string {
  return [
    `# troupe benchmarks — ${report.date}${report.quick ? ' (quick)' : ''}`,
    '',
    ...machineLines(report),
    '',
    '![Ratios against their goals, and throughput against worker count](latest.svg)',
    '',
    resultsMarkdown,
    '',
    ...skippedLines(report),
    '## Ratios (median of same-round pairs, with intervals)',
    '',
    'A verdict is `met` or `not met` only when the whole interval is on one side of the goal; `undecided` means this run cannot tell: measure that ratio again alone with more pairs (`node bench/dist/run.js --only <ratio id> --pairs 30`). A ratio without a goal (goal `—`) is `reported`: measured to be watched, not judged.',
    '',
    ratiosMarkdown,
    '',
  ].join('\n')
}

/** Returns the paths written. */
export async function writeResults(
  report: SuiteReport,
  resultsMarkdown: string,
  ratiosMarkdown: string,
): Promise<string[]> {
  await mkdir(resultsDirectory, { recursive: true })
  const json = reportJson(report)
  const paths = [
    `${resultsDirectory}latest.json`,
    `${resultsDirectory}${datedName(report.date)}`,
    `${resultsDirectory}latest.md`,
  ] as const
  await writeFile(paths[0], json)
  await writeFile(paths[1], json)
  await writeFile(paths[2], markdownDocument(report, resultsMarkdown, ratiosMarkdown))
  return [...paths]
}

/** Writes bench/results/latest.svg (the chart, see src/chart/) and returns its path. */
export async function writeChart(svg: string): Promise<string> {
  await mkdir(resultsDirectory, { recursive: true })
  const path = `${resultsDirectory}latest.svg`
  await writeFile(path, svg.endsWith('\n') ? svg : `${svg}\n`)
  return path
}
