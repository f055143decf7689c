import { setTimeout as sleep } from 'node:timers/promises'
import { ActorSystem, type DashboardHandle } from 'troupe'
import { DEMO_ACTOR_MODULES } from './actor-modules.js'
import { checkRun, type Check, type Observations } from './checks.js'
import { describeEvent } from './describe-event.js'
import { Clock, EventLog, type TimedEvent } from './event-log.js'
import { collectOutcomes, waitForResumedStreams } from './outcomes.js'
import { killWorker } from './kill-drill.js'
import { printSummary } from './summary.js'
import { spawnTopology, type PipelineSettings } from './topology.js'
import { ThroughputMeter, type RunTotals } from './throughput-meter.js'
import { LiveTable } from './report.js'

export interface DemoOptions {
  /** How long the producers stream, in seconds (the run waits longer if the recovery needs it). */
  readonly seconds: number
  readonly workers: number | 'auto'
  /** Where the demo's lines go. */
  readonly log: (line: string) => void
  /** Producers on each worker (each with its own consumer on the next worker). Default 2. */
  readonly pipelinesPerWorker?: number
  readonly pipeline?: PipelineSettings
  /** When the worker is killed, in seconds after the streams start. Default: half way. */
  readonly killAtSeconds?: number
  /** The thread to kill, 1..N. Default: the last worker. */
  readonly killThread?: number
  /** Serve the live dashboard on this port while the demo runs (0: a free one), and log its URL. Default: no dashboard. */
  readonly dashboardPort?: number
}

export interface DemoResult {
  /** True when every check passed. */
  readonly ok: boolean
  readonly checks: readonly Check[]
  readonly observed: Observations
  readonly run: RunTotals
  /** Every system event of the run, on the run's clock. */
  readonly events: readonly TimedEvent[]
}

// A few thousand tells per chunk amortise the per-turn cost; four chunks in flight keep the
// consumer fed while an acknowledgement travels (consumer → ledger on main → consumer →
// producer) and bound its mailbox at 8 000 values. An ack slower than 5 s means the chunk is
// sent again, which the ledger absorbs.
const DEFAULT_PIPELINE: PipelineSettings = { chunkSize: 2_000, window: 4, ackTimeoutMs: 5_000 }

const SAMPLE_INTERVAL_MS = 1_000

/**
 * Streams numbered values producer → consumer across every worker, with a ledger on the main
 * thread as the source of truth; prints per-thread throughput each second; half way, kills a
 * worker from inside and prints the system bringing its actors back; then drains the streams,
 * checks that the ledger holds every chunk exactly once, prints a summary and shuts down.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { log, seconds } = options
  const settings = options.pipeline ?? DEFAULT_PIPELINE
  const system = await ActorSystem.start({ workers: options.workers, actors: DEMO_ACTOR_MODULES })
  let events: EventLog | undefined
  let dashboard: DashboardHandle | undefined
  try {
    if (options.dashboardPort !== undefined) dashboard = await system.serveDashboard({ port: options.dashboardPort })
    const victim = options.killThread ?? system.workers
    if (!(Number.isInteger(victim) && victim >= 1 && victim <= system.workers)) throw new RangeError(`killThread must be a worker thread, 1..${system.workers}; got ${victim}`)
    const topology = await spawnTopology(system, options.pipelinesPerWorker ?? 2, settings, victim)
    const labels = new Map<number, string>(topology.workerActors.map((actor) => [actor.ref.id, actor.label]))
    const victimIds = new Set(topology.workerActors.filter((actor) => actor.thread === victim).map((actor) => actor.ref.id))
    let toKilledWorker = 0
    const unsubscribe = system.deadLetters.subscribe((letter) => {
      if (victimIds.has(letter.recipient)) toKilledWorker++
    })

    log(
      `troupe demo: ${system.workers} workers + main thread, ${topology.pipelines.length} producer → consumer streams (each crossing to the next worker), ` +
        `chunks of ${settings.chunkSize} values, a ledger actor on main; ${seconds} s, worker ${victim} killed half way`,
    )
    if (dashboard) log(`dashboard: ${dashboard.url}`)
    log('')

    const clock = new Clock()
    const eventLog = new EventLog(system, clock, describeEvent(labels), log)
    events = eventLog
    const meter = await ThroughputMeter.start(system)
    const table = new LiveTable([0, ...Array.from({ length: system.workers }, (_, i) => i + 1)])
    for (const line of table.header()) log(line)
    for (const { producer } of topology.pipelines) producer.tell.start()

    const killAtMs = (options.killAtSeconds ?? seconds / 2) * 1000
    // A reading just before the kill: what the worker processes after its last reading dies uncounted.
    const drill = sleep(Math.max(0, killAtMs - clock.now()))
      .then(() => meter.checkpoint())
      .then(() => killWorker(topology, eventLog, clock, log))
    drill.catch(() => undefined) // awaited below; this only keeps a failure from being "unhandled" meanwhile
    await streamFor(seconds, clock, async () => log(table.line(await meter.sample())))
    const kill = await drill
    await waitForResumedStreams(topology, kill)

    const pipelines = await collectOutcomes(topology, kill)
    const run = await meter.finish()
    unsubscribe()
    const observed: Observations = {
      chunkSize: settings.chunkSize,
      pipelines,
      kill,
      crashed: eventLog.of('worker-crashed').filter(({ event }) => event.thread === victim).length,
      recoveredActors: eventLog.of('worker-recovered').find(({ event }) => event.thread === victim)?.event.actors,
      failedActors: eventLog.of('actor-failed').map(({ event }) => event.actor),
      restartedActors: eventLog.of('actor-restarted').map(({ event }) => event.actor),
      run,
      deadLetters: { total: system.deadLetters.count, toKilledWorker },
    }
    const checks = checkRun(observed)
    const ok = checks.every((check) => check.passed)
    printSummary({ observed, checks, ok, events: eventLog.events }, log)
    return { ok, checks, observed, run, events: [...eventLog.events] }
  } finally {
    events?.stop()
    await dashboard?.close()
    await system.shutdown()
  }
}

/** Calls `onTick` about once a second, on a schedule that does not drift, until `seconds` are up. */
async function streamFor(seconds: number, clock: Clock, onTick: () => Promise<void>): Promise<void> {
  const end = seconds * 1000
  for (let tick = 1; ; tick++) {
    const due = Math.min(tick * SAMPLE_INTERVAL_MS, end)
    await sleep(Math.max(0, due - clock.now()))
    await onTick()
    if (due >= end) return
  }
}
