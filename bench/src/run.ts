// CLI entry: node bench/dist/run.js [--quick] [--only <id-prefix|ratio id>[,...]]... [--pairs n] [--runs n] [--pin cpus]
import { describeMachine, machineSnapshot } from 'troupe'
import { checkAvailability, isCi } from './availability.js'
import { baselineBenchmarks } from './baselines/index.js'
import { chartSvg } from './chart/index.js'
import { parseCliArgs } from './cli-args.js'
import { formatFigure } from './format.js'
import type { BenchmarkDefinition, BenchmarkResult } from './harness.js'
import { pinnedCpus, runPinned } from './pin.js'
import { planGroups, selectBenchmarks } from './plan.js'
import { SuiteProgress } from './progress.js'
import { progressDisplay } from './progress-display.js'
import { computeRatios, ratioDefinitions } from './ratios.js'
import { ratiosTable, resultsTable, skippedTable } from './report.js'
import { describeSuite, writeChart, writeResults } from './results-file.js'
import { plannedRounds, runGroup, timedRounds, warmupRounds } from './rounds.js'
import { renderMarkdown, renderText } from './table.js'
import { troupeBenchmarks } from './troupe/index.js'

// Sized so that a full run stays near 12 minutes on an idle 2-core machine (bench/README.md,
// "Duration"): pairs where a ratio is judged, fewer runs where nothing is.
const settings = {
  quick: { pairs: 3, runs: 3, warmupRounds: 1 },
  full: { pairs: 10, runs: 5, warmupRounds: 1 },
} as const

const CONFIDENCE = 0.95

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
  for (const id of all.flatMap((d) => [d.id, ...(d.companions ?? []).map((c) => c.id)])) {
    if (seen.has(id)) throw new Error(`duplicate benchmark id: ${id}`)
    seen.add(id)
  }
  return all
}

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error))

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2))
  if (options.pin !== undefined && pinnedCpus() === null) {
    process.exitCode = runPinned(options.pin)
    return
  }
  const machineAtStart = machineSnapshot()
  const selected = selectBenchmarks(allBenchmarks(), options.only, ratioDefinitions)
  if (selected.length === 0) throw new Error(`no benchmark id or ratio id matches: ${options.only.join(', ')}`)
  // What this machine cannot run (e.g. no nats-server) is skipped and reported, or fails under CI.
  const { runnable, skipped, failed: unavailable } = await checkAvailability(selected, isCi())
  for (const { id, reason } of skipped) log(`${id} SKIPPED: ${reason}`)
  for (const { id, reason } of unavailable) log(`${id} FAILED: ${reason}`)

  const mode = options.quick ? settings.quick : settings.full
  const rounds = { ...mode, pairs: options.pairs ?? mode.pairs, runs: options.runs ?? mode.runs }
  const groups = planGroups(runnable, ratioDefinitions)
  const started = new Date()
  const suiteStarted = performance.now()
  const results: BenchmarkResult[] = []
  const failures: string[] = unavailable.map(({ id }) => id)
  const progress = new SuiteProgress(groups.flatMap((group) => group.members.map(({ id }) => ({ id, runs: plannedRounds(group, rounds) }))))
  // stdout is caught too when it is the same terminal: a stray write there would cut through the bar.
  const display = progressDisplay(progress, process.stderr, process.stdout.isTTY ? [process.stdout] : [])
  try {
    for (const group of groups) {
      const ids = group.members.map((m) => m.id)
      const what = group.ratios.length > 0 ? `pairs for ${group.ratios.join(', ')}` : 'in no ratio'
      display.log(`> ${ids.join(' + ')}: ${warmupRounds(group, rounds)} warm-up + ${timedRounds(group, rounds)} timed round(s), ${what}`)
      const groupStarted = performance.now()
      const outcome = await runGroup(group, { ...rounds, quick: options.quick, progress: display.log, format: formatFigure, observer: display })
      results.push(...outcome.results)
      for (const failure of outcome.failures) {
        display.log(`  ${failure.id} FAILED: ${describe(failure.error)}`)
        failures.push(failure.id)
      }
      display.log(`  ${ids.join(' + ')} took ${seconds(groupStarted)}`)
    }
  } finally {
    // Before anything else reaches the terminal: the tables on stdout come next.
    display.stop()
  }
  const elapsed = (performance.now() - suiteStarted) / 1000
  log(`${runnable.length} benchmark(s) in ${groups.length} group(s) took ${seconds(suiteStarted)}`)

  const ratios = computeRatios(ratioDefinitions, results, { confidence: CONFIDENCE })
  const machine = describeMachine(machineAtStart, machineSnapshot())
  const resultsView = resultsTable(results)
  const ratiosView = ratiosTable(ratios, ratioDefinitions)
  const skippedView = skipped.length > 0 ? `\n\n${renderText(skippedTable(skipped))}` : ''
  process.stdout.write(`\n${renderText(resultsView)}${skippedView}\n\n${renderText(ratiosView)}\n`)
  for (const warning of machine.warnings) log(`warning: ${warning}`)

  const measurement = { ...rounds, confidence: CONFIDENCE, pinnedCpus: pinnedCpus(), seconds: elapsed }
  const report = describeSuite(options.quick, results, ratios, started, measurement, machine, skipped)
  const written = await writeResults(report, renderMarkdown(resultsView), renderMarkdown(ratiosView))
  try {
    written.push(await writeChart(await chartSvg(report, ratioDefinitions)))
  } catch (error) {
    // The figures are already on disk; a chart that cannot be drawn still fails the run.
    log(`chart FAILED: ${describe(error)}`)
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
