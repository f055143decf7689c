// CLI entry: node bench/dist/run.js [--quick] [--only <id-prefix>[,<id-prefix>...]]...
import { baselineBenchmarks } from './baselines/index.js'
import { chartSvg } from './chart/index.js'
import { isSelected, parseCliArgs } from './cli-args.js'
import { formatFigure } from './format.js'
import { measure } from './harness.js'
import type { BenchmarkDefinition, BenchmarkResult, MeasureOptions } from './harness.js'
import { computeRatios, ratioDefinitions } from './ratios.js'
import { ratiosTable, resultsTable } from './report.js'
import { describeSuite, writeChart, writeResults } from './results-file.js'
import { renderMarkdown, renderText } from './table.js'
import { troupeBenchmarks } from './troupe/index.js'

// Quick mode keeps the whole suite around a minute; full mode buys tighter medians.
const repetitions = {
  quick: { runs: 3, warmup: 1 },
  full: { runs: 7, warmup: 2 },
} as const

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

/** Wall time since `since` (a performance.now() reading), e.g. "12.3 s". */
function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`
}

function allBenchmarks(): BenchmarkDefinition[] {
  const all = [...baselineBenchmarks, ...troupeBenchmarks]
  const seen = new Set<string>()
  for (const definition of all) {
    if (seen.has(definition.id)) throw new Error(`duplicate benchmark id: ${definition.id}`)
    seen.add(definition.id)
  }
  return all
}

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2))
  const selected = allBenchmarks().filter((d) => isSelected(d.id, options.only))
  if (selected.length === 0) throw new Error(`no benchmark id starts with: ${options.only.join(', ')}`)

  const measureOptions: MeasureOptions = {
    ...(options.quick ? repetitions.quick : repetitions.full),
    progress: log,
    format: formatFigure,
  }
  const started = new Date()
  const suiteStarted = performance.now()
  const results: BenchmarkResult[] = []
  const failures: string[] = []
  // Strictly sequential: concurrent benchmarks would compete for the same cores.
  for (const definition of selected) {
    log(`> ${definition.id}`)
    const benchmarkStarted = performance.now()
    try {
      results.push(await measure(definition.id, definition.unit, () => definition.run(options.quick), measureOptions))
    } catch (error) {
      // One broken benchmark should not cost the rest of the suite; its ratios show as missing.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      log(`  ${definition.id} FAILED: ${message}`)
      failures.push(definition.id)
    }
    log(`  ${definition.id} took ${seconds(benchmarkStarted)}`)
  }
  log(`${selected.length} benchmark(s) took ${seconds(suiteStarted)}`)

  const ratios = computeRatios(ratioDefinitions, results)
  const resultsView = resultsTable(results)
  const ratiosView = ratiosTable(ratios, ratioDefinitions)
  process.stdout.write(`\n${renderText(resultsView)}\n\n${renderText(ratiosView)}\n`)

  const report = describeSuite(options.quick, results, ratios, started)
  const written = await writeResults(report, renderMarkdown(resultsView), renderMarkdown(ratiosView))
  try {
    written.push(await writeChart(await chartSvg(report, ratioDefinitions)))
  } catch (error) {
    // The figures are already on disk; a chart that cannot be drawn still fails the run.
    log(`chart FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    failures.push('chart (latest.svg)')
  }
  log(`\nwrote ${written.join(', ')}`)
  if (failures.length > 0) {
    log(`failed: ${failures.join(', ')}`)
    process.exitCode = 1
  }
}

// Errors reaching here are usage or set-up problems (bad flags, unknown --only); benchmark failures are caught above.
main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
})
