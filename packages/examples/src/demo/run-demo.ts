import { setTimeout as sleep } from 'node:timers/promises'
import { performance } from 'node:perf_hooks'
import { ActorSystem } from 'troupe'
import { DEMO_ACTOR_MODULES } from './actor-modules.js'
import { exact } from './format.js'
import type { ProducerSettings } from './producer.js'
import { reconcile, type Check } from './reconcile.js'
import { checkLines, LiveTable, summaryTable } from './report.js'
import { spawnTopology, type Topology } from './topology.js'
import { ThroughputMeter, type RunTotals } from './throughput-meter.js'

export interface DemoOptions {
  /** How long the producers stream, in seconds. */
  readonly seconds: number
  readonly workers: number | 'auto'
  /** Where the demo's lines go. */
  readonly log: (line: string) => void
  /** Producers on each worker (each with its own consumer on the next worker). Default 2. */
  readonly pipelinesPerWorker?: number
  readonly producer?: ProducerSettings
}

export interface DemoResult {
  /** True when every check passed. */
  readonly ok: boolean
  readonly checks: readonly Check[]
  readonly run: RunTotals
  /** Values streamed producer → consumer (each one message); `run.processed` adds the acknowledgements. */
  readonly values: number
  readonly deadLetters: number
}

// A few thousand tells per handler call amortise the per-turn cost; four chunks in flight keep
// the consumer fed while an acknowledgement travels back, and bound its mailbox at 8 000.
const DEFAULT_PRODUCER: ProducerSettings = { chunkSize: 2_000, window: 4 }

const SAMPLE_INTERVAL_MS = 1_000

/**
 * Streams numbered values producer → consumer across every worker for `seconds`, printing
 * per-thread throughput each second, then stops the producers, reconciles what was sent with
 * what arrived, prints a summary and shuts the system down.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { log } = options
  const system = await ActorSystem.start({ workers: options.workers, actors: DEMO_ACTOR_MODULES })
  try {
    let actorFailures = 0
    system.events.subscribe((event) => {
      if (event.type === 'actor-failed') {
        actorFailures++
        log(`event: actor#${event.actor} failed: ${event.error.message} (${event.directive})`)
      } else if (event.type === 'worker-crashed') {
        log(`event: worker ${event.thread} crashed: ${event.reason}`)
      }
    })

    const pipelinesPerWorker = options.pipelinesPerWorker ?? 2
    const topology = await spawnTopology(system, pipelinesPerWorker, options.producer ?? DEFAULT_PRODUCER)
    log(
      `troupe demo: ${system.workers} workers + main thread, ${topology.pipelines.length} producer → consumer streams ` +
        `(each crossing to the next worker), a ledger actor on main; ${options.seconds} s`,
    )
    log('')

    const meter = await ThroughputMeter.start(system)
    const table = new LiveTable([0, ...Array.from({ length: system.workers }, (_, i) => i + 1)])
    for (const line of table.header()) log(line)
    for (const { producer } of topology.pipelines) producer.tell.start()
    await streamFor(options.seconds, async () => log(table.line(await meter.sample())))

    const observed = await collect(topology)
    const run = await meter.finish()
    const deadLetters = system.deadLetters.count
    const checks = reconcile({ ...observed, run, deadLetters, actorFailures })
    const ok = checks.every((check) => check.passed)
    const values = observed.streams.reduce((total, stream) => total + stream.producer.count, 0)

    log('')
    log(`Summary: ${exact(run.processed)} messages in ${run.seconds.toFixed(1)} s (${exact(values)} streamed values + acknowledgements)`)
    for (const line of summaryTable(run)) log(`  ${line}`)
    log('')
    log('Checks')
    for (const line of checkLines(checks)) log(`  ${line}`)
    log('')
    log(ok ? `PASS: all ${checks.length} checks` : `FAIL: ${checks.filter((c) => !c.passed).length} of ${checks.length} checks failed`)
    return { ok, checks, run, values, deadLetters }
  } finally {
    await system.shutdown()
  }
}

/** Calls `onTick` about once a second, on a schedule that does not drift, until `seconds` are up. */
async function streamFor(seconds: number, onTick: () => Promise<void>): Promise<void> {
  const start = performance.now()
  const end = start + seconds * 1000
  for (let tick = 1; ; tick++) {
    const due = Math.min(start + tick * SAMPLE_INTERVAL_MS, end)
    await sleep(Math.max(0, due - performance.now()))
    await onTick()
    if (due >= end) return
  }
}

/** Stops every producer (each answers once its consumer acknowledged all it sent), then reads every tally. */
async function collect(topology: Topology) {
  const producers = await Promise.all(topology.pipelines.map(({ producer }) => producer.ask.finish()))
  // Asked after the producers drained: each consumer's reports to the ledger left on the same
  // channel, before its reply, so once every consumer has answered the ledger has them all.
  const consumers = await Promise.all(topology.pipelines.map(({ consumer }) => consumer.ask.totals()))
  const ledger = await topology.ledger.ask.totals()
  const streams = topology.pipelines.map((pipeline, i) => ({
    producer: producers[i]!,
    consumer: consumers[i]!,
    producerThread: pipeline.producerWorker + 1,
    consumerThread: pipeline.consumerWorker + 1,
  }))
  return { streams, ledger }
}
