#!/usr/bin/env node
// `troupe bench <workload-module>`: measures a user's workload on 1..N workers and prints the
// scaling table; writes JSON and an SVG chart. Exit codes: 0 done (whatever the verdicts),
// 1 a run failed or a file could not be written, 2 bad usage or a module without a usable workload.
import { availableParallelism } from 'node:os'
import { parseCliOptions, usage, UsageError } from './cli-options.js'
import type { CliOptions } from './cli-options.js'
import { loadWorkload, WorkloadModuleError } from './load-workload.js'
import { machineSnapshot } from './machine.js'
import { writeScalingReport } from './output.js'
import { progressBar } from './progress.js'
import { runScaling, scalingSettings } from './scaling.js'
import { scalingTable } from './table.js'

const err = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

async function bench(options: CliOptions): Promise<void> {
  const machineAtStart = machineSnapshot()
  const workload = await loadWorkload(options.module, options.exportName)
  const maxWorkers = options.maxWorkers ?? availableParallelism()
  const settings = scalingSettings(
    { pairs: options.pairs, warmupRounds: options.warmupRounds, goal: options.goal, seed: options.seed, ...(options.workers === undefined ? {} : { workerCounts: options.workers }) },
    maxWorkers,
  )
  const unit = `${workload.unit ?? 'ops'}/s`
  const rounds = settings.warmupRounds + settings.pairs
  err(`troupe bench: "${workload.name}" on ${settings.workerCounts.join(', ')} worker(s), ${settings.pairs} timed round(s) after ${settings.warmupRounds} warm-up round(s)`)
  const onProgress = options.progress ? progressBar(process.stderr, unit, settings.warmupRounds, rounds) : undefined
  const report = await runScaling(workload, settings, machineAtStart, { timeoutMs: options.timeoutMs, ...(onProgress === undefined ? {} : { onProgress }) })
  process.stdout.write(`\n${scalingTable(report)}\n`)
  for (const warning of report.machine.warnings) err(`warning: ${warning}`)
  const written = await writeScalingReport(report, options.out)
  err(`wrote ${written.join(', ')}`)
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(`${usage}\n`)
      return 0
    }
    if (command !== 'bench') throw new UsageError(command === undefined ? 'missing a command: troupe bench <workload-module>' : `unknown command "${command}": troupe bench <workload-module>`)
    const options = parseCliOptions(rest)
    if (options.help) {
      process.stdout.write(`${usage}\n`)
      return 0
    }
    await bench(options)
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      err(`troupe bench: ${error.message}\n\n${usage}`)
      return 2
    }
    if (error instanceof WorkloadModuleError) {
      err(`troupe bench: ${error.message}`)
      return 2
    }
    err(`troupe bench: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
