// Persists a suite run as bench/results/latest.json, a dated JSON copy, latest.md and latest.svg.
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { BenchmarkResult } from './harness.js'
import type { RatioOutcome } from './ratios.js'

export interface SuiteReport {
  readonly node: string
  readonly cpus: number
  readonly cpuModel: string
  readonly date: string
  readonly quick: boolean
  readonly results: readonly BenchmarkResult[]
  readonly ratios: readonly RatioOutcome[]
}

/** bench/results, resolved from bench/dist/results-file.js so the cwd does not matter. */
export const resultsDirectory = fileURLToPath(new URL('../results/', import.meta.url))

export function describeSuite(
  quick: boolean,
  results: readonly BenchmarkResult[],
  ratios: readonly RatioOutcome[],
  date: Date,
): SuiteReport {
  const cores = cpus()
  return {
    node: process.version,
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    date: date.toISOString(),
    quick,
    // Copied field by field so the file's shape is exactly the documented one.
    results: results.map(({ id, unit, median, min, max, runs }) => ({ id, unit, median, min, max, runs })),
    ratios: ratios.map(({ id, name, value, goal, meets }) => ({ id, name, value, goal: { op: goal.op, value: goal.value }, meets })),
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

function markdownDocument(report: SuiteReport, resultsMarkdown: string, ratiosMarkdown: string): string {
  return [
    `# troupe benchmarks — ${report.date}${report.quick ? ' (quick)' : ''}`,
    '',
    `Node ${report.node}, ${report.cpus} × ${report.cpuModel}`,
    '',
    '![Ratios against their goals, and throughput against worker count](latest.svg)',
    '',
    resultsMarkdown,
    '',
    '## Ratios (same-run medians)',
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
