import { ActorSystem, type ActorRef } from 'troupe'
import { exact } from '../shared/format.js'
import type { JsonValue, WriterStats } from '../store/index.js'
import { KV_STORE_ACTOR_MODULES } from './actor-modules.js'
import { diff, readThroughRouter, type Diff } from './audit.js'
import type { FaultRecord } from './checks.js'
import { describeFault, injectFault, type Fault } from './fault-plan.js'
import type { HeartbeatMonitor, MonitorSettings, Notices, TargetSummary } from './heartbeat-monitor.js'
import type { Incident } from './incidents.js'
import type { ShardReport } from './kv-shard.js'
import { Ledger } from './ledger.js'
import { bridgeEvents } from './observed-event.js'
import { RecoveryWatch } from './recovery-watch.js'
import { errorCode } from './retry.js'
import { kvName, spawnMonitor, spawnStore, writerName, type KvStore, type Shard, type StorePlan } from './topology.js'
import { Workload, type WorkloadTotals } from './workload.js'

/** troupe's worker watchdog: a worker silent this long is terminated as hung. */
const HEARTBEAT = { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1_000 }
/** The monitor pings more often than the watchdog's timeout, so it speaks first, and names the actor. */
const MONITOR: MonitorSettings = { intervalMs: 100, timeoutMs: 300, watchdogTimeoutMs: HEARTBEAT.heartbeatTimeoutMs }
/** A client request's deadline: a request lost with a worker costs this much, then is retried. */
const REQUEST_TIMEOUT_MS = 1_500

export type LivePlan = {
  readonly plan: StorePlan
  readonly workers: number
  readonly clients: number
  readonly keysPerClient: number
  readonly writesPerPhase: number
  readonly faults: readonly Fault[]
  readonly seed: number
  readonly log: (line: string) => void
  readonly say: (line: string) => void
}

/** What the store said while it ran, and what it held once the clients had stopped. */
export type LiveResult = {
  readonly shards: readonly Shard[]
  readonly ledger: Ledger
  readonly totals: WorkloadTotals
  readonly faults: readonly FaultRecord[]
  readonly throughRouter: Diff
  readonly shardEntries: readonly { readonly shard: string; readonly entries: ReadonlyMap<string, JsonValue> }[]
  readonly shardReports: readonly ShardReport[]
  readonly writers: readonly WriterStats[]
  readonly incidents: readonly Incident[]
  readonly monitor: readonly TargetSummary[]
  readonly worker: { readonly crashes: number; readonly hangs: number; readonly restarts: number }
  readonly deadLetters: number
}

export function startSystem(workers: number): Promise<ActorSystem> {
  return ActorSystem.start({ workers, actors: KV_STORE_ACTOR_MODULES, ...HEARTBEAT })
}

/**
 * The store under faults: clients run while each fault is injected and recovered, then the
 * state is read back through the router and from each shard. The system is shut down at the
 * end, so every writer has closed its file when this returns.
 */
export async function runWithFaults(run: LivePlan): Promise<LiveResult> {
  const { say, log } = run
  const system = await startSystem(run.workers)
  const recoveries = new RecoveryWatch(system)
  try {
    const store = await spawnStore(system, run.plan)
    const monitor = await spawnMonitor(system, store, MONITOR)
    const unbridge = bridgeEvents(system.events, (event) => monitor.tell.observe(event))
    const notices = pollNotices(monitor, say)
    log(`KV store: ${store.shards.length} shards behind a consistent-hash router on the main thread, ${run.workers} workers`)
    for (const shard of store.shards) log(`  shard ${shard.shard}: KV actor on worker ${shard.kvThread}, log writer on worker ${shard.writerThread} (${shard.path})`)
    log(`  each pair under its own one-for-all supervisor; heartbeat monitor pings all ${store.shards.length * 2} every ${MONITOR.intervalMs} ms (answer within ${MONITOR.timeoutMs} ms)`)
    log(`  troupe's watchdog terminates a worker silent for ${HEARTBEAT.heartbeatTimeoutMs} ms; ${run.clients} clients, ${run.keysPerClient} keys each, one request at a time`)
    log(`  faults, each after ${exact(run.writesPerPhase)} more acknowledged writes: ${run.faults.map(describeFault).join(', ')}`)

    const ledger = new Ledger()
    const workload = new Workload(store.router, { clients: run.clients, keysPerClient: run.keysPerClient, seed: run.seed, timeoutMs: REQUEST_TIMEOUT_MS }, ledger)
    say('clients start')
    workload.start()
    const faults: FaultRecord[] = []
    for (const [i, fault] of run.faults.entries()) {
      await workload.whenAcknowledged(ledger.writes + run.writesPerPhase)
      const shard = store.shards[fault.shard]!
      say(`${exact(ledger.writes)} writes acknowledged. Fault ${i + 1}/${run.faults.length}: ${describeFault(fault)} (${fault.kind === 'kill' ? 'process.exit(1)' : 'a handler that never returns'} on worker ${fault.role === 'kv' ? shard.kvThread : shard.writerThread})`)
      const writesBefore = ledger.writes
      const injectedAt = Date.now()
      const outcome = await injectFault(fault, shard, monitor, recoveries)
      faults.push({ ...outcome, injectedAt })
      say(`${outcome.recovered ? 'recovered' : 'NOT recovered'}: ${kvName(shard.shard)} and ${writerName(shard.shard)} answering as fresh instances ${exact(Math.round(outcome.recoveryMs))} ms after the fault; ${exact(ledger.writes - writesBefore)} writes acknowledged meanwhile`)
    }
    await workload.whenAcknowledged(ledger.writes + run.writesPerPhase)
    say(`${exact(ledger.writes)} writes acknowledged; clients stop`)
    const totals = await workload.stop()

    await monitor.ask.close()
    await notices
    unbridge()
    const state = await readBack(store, ledger, monitor)
    const worker = { crashes: recoveries.crashes.length, hangs: recoveries.hangs.length, restarts: recoveries.restarts }
    return { ...state, ledger, totals, faults, worker, deadLetters: system.deadLetters.count }
  } finally {
    recoveries.stop()
    await system.shutdown()
  }
}

/** Everything the running store says, once the clients have stopped. */
async function readBack(store: KvStore, ledger: Ledger, monitor: ActorRef<HeartbeatMonitor>) {
  const throughRouter = diff(new Map(ledger.entries()), await readThroughRouter(store.router, ledger.touchedKeys()))
  const shardEntries = await Promise.all(store.shards.map(async (shard) => ({ shard: shard.shard, entries: new Map(await shard.kv.ask.entries()) })))
  const shardReports = await Promise.all(store.shards.map((shard) => shard.kv.ask.report()))
  const writers = await Promise.all(store.shards.map((shard) => shard.writer.ask.sync()))
  const report = await monitor.ask.report()
  return { shards: store.shards, throughRouter, shardEntries, shardReports, writers, incidents: report.incidents, monitor: report.targets }
}

/** A second system on the same files: each shard loads its map from its writer in `onStart`. */
export async function coldRestart(plan: StorePlan, workers: number, keys: readonly string[]): Promise<{ readonly entries: Map<string, JsonValue>; readonly recoveredKeys: number[] }> {
  const system = await startSystem(workers)
  try {
    const store = await spawnStore(system, plan)
    const entries = await readThroughRouter(store.router, keys)
    const reports = await Promise.all(store.shards.map((shard) => shard.kv.ask.report()))
    return { entries, recoveredKeys: reports.map((report) => report.recoveredKeys) }
  } finally {
    await system.shutdown()
  }
}

/** Prints the monitor's lines as they come, until it closes. */
async function pollNotices(monitor: ActorRef<HeartbeatMonitor>, say: (line: string) => void): Promise<void> {
  for (;;) {
    let notices: Notices
    try {
      notices = await monitor.with({ timeoutMs: 60_000 }).ask.notices()
    } catch (error) {
      if (errorCode(error) === 'ERR_ASK_TIMEOUT') continue // a quiet minute: ask again
      say(`monitor: its log stopped (${errorCode(error)})`)
      return
    }
    for (const line of notices.lines) say(line)
    if (notices.closed) return
  }
}
