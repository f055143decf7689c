import { setTimeout as pause } from 'node:timers/promises'
import { ActorSystem, type ActorRef } from 'troupe'
import { TASK_QUEUE_ACTOR_MODULES, TASK_QUEUE_TASK_MODULES } from './actor-modules.js'
import type { Overlap } from './aggregator.js'
import { checkTaskQueue, type Backpressure, type Check } from './checks.js'
import type { TaskMaster } from './master.js'
import type { Monitor } from './monitor.js'
import { floodLines, phaseOneLines, scriptLines, summaryLines } from './report.js'
import { BLOCKER_IDS, floodScript, LONG_TASK_ID, MAX_ATTEMPTS, POOL_SIZE, PRIORITY_SCRIPT, type ScriptedTask } from './script.js'
import { stamp } from './table.js'
import { spawnQueue } from './topology.js'
import type { Dispatch, Outcome, Totals, WorkerRow } from './types.js'

export interface TaskQueueOptions {
  readonly log: (line: string) => void
  /** Worker threads for actors. Default 2. */
  readonly workers?: number
  /** Offload pool threads for `cpu` tasks; with `workers`, the thread budget. Default 1. */
  readonly offloadThreads?: number
  /** Tasks in the flood of phase 2. Default 160. */
  readonly floodSize?: number
  /** The master's admission limit: tasks that may wait in its queue. Default 12. */
  readonly capacity?: number
  /** How often the monitor prints its table. Default 250 ms. */
  readonly monitorIntervalMs?: number
  /** Seeds the flood's generator. Default 42. */
  readonly seed?: number
}

export interface TaskQueueResult {
  readonly ok: boolean
  readonly checks: readonly Check[]
  /** Every task's final outcome, in script order. */
  readonly outcomes: readonly Outcome[]
  readonly totals: Totals
  /** Phase 1: the first attempts handed out once the blockers finished, in order. */
  readonly firstDispatches: readonly Dispatch[]
  readonly backpressure: Backpressure
  /** What the other workers did while the flood's long task ran. */
  readonly longTask: Overlap | undefined
  /** Each worker's final row of the monitor's table. */
  readonly workers: readonly WorkerRow[]
  readonly retried: number
  /** Tasks the offload pool ran. */
  readonly offloaded: number
  /** Tables the monitor printed. */
  readonly tables: number
  readonly budget: { readonly threads: number; readonly workers: number; readonly offloadThreads: number }
  readonly deadLetters: number
  readonly seconds: number
}

/** Between two depth samples during the flood (see `sampleDepth`). */
const SAMPLE_PAUSE_MS = 2

/** Generous: every wait below ends in well under a second; these only stop a broken run from hanging. */
const ASK_DEADLINE_MS = 30_000

/**
 * A master with a pool of workers and a result aggregator, in two phases: a scripted mix that
 * shows priorities, deadlines and retries, then a flood from a submitter faster than the workers
 * that shows the queue stays bounded and uneven tasks spread over whichever worker is free. A
 * monitor prints a live table throughout. Then checks every task ended exactly once, as scripted.
 */
export async function runTaskQueue(options: TaskQueueOptions): Promise<TaskQueueResult> {
  const { log } = options
  const workers = options.workers ?? 2
  const offloadThreads = options.offloadThreads ?? 1
  const capacity = options.capacity ?? 12
  const flood = floodScript(options.floodSize ?? 160, options.seed ?? 42)
  const script = [...PRIORITY_SCRIPT, ...flood]
  const startedAt = Date.now()

  const system = await ActorSystem.start({
    actors: TASK_QUEUE_ACTOR_MODULES,
    // One budget for both kinds of thread: actor workers plus the offload pool's threads.
    threads: workers + offloadThreads,
    offload: { tasks: TASK_QUEUE_TASK_MODULES, maxThreads: offloadThreads },
  })
  try {
    const queue = await spawnQueue(system, { poolSize: POOL_SIZE, capacity, maxAttempts: MAX_ATTEMPTS, attemptTimeoutMs: ASK_DEADLINE_MS, monitorIntervalMs: options.monitorIntervalMs ?? 250 })
    const { master, aggregator, monitor } = queue
    // The clock of the printed lines starts when the queue opens, not while threads start.
    const openedAt = Date.now()
    const say = (line: string): void => log(`${stamp(openedAt)} ${line}`)
    log(`task-queue: ${system.workers} worker threads, ${offloadThreads} offload thread${offloadThreads === 1 ? '' : 's'}, main thread`)
    log(`  master, balancing router, aggregator and monitor on the main thread; submitter on worker ${queue.submitterThread}`)
    log(`  pool of ${POOL_SIZE} workers (prefetch 1): ${queue.workers.map((w) => `${w.label} on worker ${w.thread}`).join(', ')}`)
    log(`  queue capacity ${capacity}; ${MAX_ATTEMPTS} attempts per task; cpu tasks run in the offload pool`)
    log('')
    for (const line of scriptLines(PRIORITY_SCRIPT)) log(line)
    monitor.tell.start(openedAt)
    const printing = printFeed(monitor, log)
    // Awaited below; this only keeps a run that fails earlier from adding an unhandled rejection.
    printing.catch(() => undefined)

    // Phase 1: one burst, so everything after the blockers is queued before any worker is free.
    const receipts = await Promise.all(PRIORITY_SCRIPT.map(({ spec }) => master.ask.submit(spec)))
    say(`phase 1: ${receipts.length} tasks submitted; ${receipts.at(-1)?.depth ?? 0} wait in the queue behind the blockers`)
    await aggregator.with({ timeoutMs: ASK_DEADLINE_MS }).ask.whenSettled(PRIORITY_SCRIPT.length)
    const firstDispatches = (await master.ask.dispatches()).filter((d) => d.attempt === 1 && !BLOCKER_IDS.includes(d.id))
    for (const line of phaseOneLines(firstDispatches, await aggregator.ask.outcomes())) say(line)
    log('')

    // Phase 2: the flood, sampled for queue depth while it is submitted.
    say(`phase 2: the submitter floods ${flood.length} tasks of uneven cost (${flood.filter((t) => t.spec.kind === 'cpu').length} cpu), as fast as the master admits them`)
    const flooding = queue.submitter.with({ timeoutMs: ASK_DEADLINE_MS }).ask.flood(master, flood.map(({ spec }) => spec), ASK_DEADLINE_MS)
    const sampled = await sampleDepth(master, flooding)
    const floodReport = await flooding
    say(`the submitter is through: ${floodReport.submitted} submitted, ${floodReport.waited} of them waited for room`)
    const totals = await aggregator.with({ timeoutMs: ASK_DEADLINE_MS }).ask.whenSettled(script.length)
    say(`all ${totals.settled} tasks settled`)
    const tables = await monitor.ask.finish()
    await printing

    const snapshot = await master.ask.snapshot()
    const backpressure: Backpressure = { capacity, samples: sampled.samples, sampledMax: sampled.max, receiptMax: floodReport.maxDepth, highWater: snapshot.highWater, waited: floodReport.waited }
    const longTask = await aggregator.ask.whileRunning(LONG_TASK_ID)
    const { workers: rows } = await aggregator.ask.snapshot()
    for (const line of floodLines(backpressure, longTask, rows)) say(line)

    const outcomes = inScriptOrder(script, await aggregator.ask.outcomes())
    const stats = await system.stats()
    const offloaded = stats.offload?.completed ?? 0
    const deadLetters = system.deadLetters.count
    const checks = checkTaskQueue({
      script,
      outcomes,
      conflicts: await aggregator.ask.conflicts(),
      started: await aggregator.ask.startedTasks(),
      firstDispatches,
      backpressure,
      longTask,
      workers: rows,
      offloaded,
      cpuAttempts: cpuAttempts(script),
      deadLetters,
    })
    const ok = checks.every((check) => check.passed)
    const seconds = (Date.now() - startedAt) / 1000
    for (const line of summaryLines(totals, snapshot.retried, checks, seconds)) log(line)
    return { ok, checks, outcomes, totals, firstDispatches, backpressure, longTask, workers: rows, retried: snapshot.retried, offloaded, tables, budget: stats.budget, deadLetters, seconds }
  } finally {
    await system.shutdown()
  }
}

/** Follows the monitor's feed and logs its lines until the monitor closes it. */
async function printFeed(monitor: ActorRef<Monitor>, log: (line: string) => void): Promise<void> {
  for (let cursor = 0, closed = false; !closed; ) {
    const feed = await monitor.with({ timeoutMs: ASK_DEADLINE_MS }).ask.feed(cursor)
    for (const line of feed.lines) log(line)
    cursor = feed.next
    closed = feed.closed
  }
}

/**
 * Asks the master for its queue depth until `until` settles. The checks use the depths seen, never
 * the time: the pause between asks only keeps this loop from crowding the master's thread (a loop
 * of back-to-back asks there slowed the flood by half).
 */
async function sampleDepth(master: ActorRef<TaskMaster>, until: Promise<unknown>): Promise<{ samples: number; max: number }> {
  let finished = false
  const stop = (): void => void (finished = true)
  void until.then(stop, stop)
  let samples = 0
  let max = 0
  while (!finished) {
    max = Math.max(max, (await master.ask.snapshot()).depth)
    samples++
    await pause(SAMPLE_PAUSE_MS)
  }
  return { samples, max }
}

function inScriptOrder(script: readonly ScriptedTask[], outcomes: readonly Outcome[]): Outcome[] {
  const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]))
  return script.flatMap(({ spec }) => byId.get(spec.id) ?? [])
}

/** Attempts of `cpu` tasks the script implies: each one is a task for the offload pool. */
function cpuAttempts(script: readonly ScriptedTask[]): number {
  return script.filter(({ spec }) => spec.kind === 'cpu').reduce((sum, task) => sum + task.expectedAttempts, 0)
}
