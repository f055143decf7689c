import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ActorSystem, type ActorRef } from 'troupe'
import { exact } from '../demo/format.js'
import type { CompactionPolicy, Entry, WriterStats } from '../store/index.js'
import { KV_STORE_ACTOR_MODULES } from './actor-modules.js'
import { auditFile, diff, mergeFiles, readThroughRouter, type Diff, type FileAudit } from './audit.js'
import { checkKvStore, type Check, type FaultRecord } from './checks.js'
import { DEFAULT_FAULTS, describeFault, injectFault, type Fault } from './fault-plan.js'
import type { HeartbeatMonitor, MonitorSettings, TargetSummary } from './heartbeat-monitor.js'
import type { Incident } from './incidents.js'
import type { ShardReport } from './kv-shard.js'
import { Ledger } from './ledger.js'
import { bridgeEvents } from './observed-event.js'
import { RecoveryWatch } from './recovery-watch.js'
import { checkLines, faultTable, whereTable } from './report.js'
import { errorCode } from './retry.js'
import { kvName, spawnMonitor, spawnStore, writerName, type KvStore, type StorePlan } from './topology.js'
import { Workload, type WorkloadTotals } from './workload.js'

export type KvStoreOptions = {
  readonly log: (line: string) => void
  /** Where the shards' files go. Default: a temporary directory, removed afterwards. It must not hold a store yet. */
  readonly dataDir?: string
  /** KV shards, each with its writer; two workers per shard. Default 2. */
  readonly shards?: number
  /** Concurrent clients, each with its own keys. Default 32. */
  readonly clients?: number
  readonly keysPerClient?: number
  /** Acknowledged writes before each fault, and after the last. Default 400. */
  readonly writesPerPhase?: number
  readonly faults?: readonly Fault[]
  readonly seed?: number
}

export type KvStoreResult = {
  readonly ok: boolean
  readonly checks: readonly Check[]
  readonly workers: number
  readonly shards: readonly { readonly shard: string; readonly kvThread: number; readonly writerThread: number }[]
  readonly acknowledged: { readonly writes: number; readonly sets: number; readonly deletes: number; readonly liveKeys: number }
  /** The ledger: every key with the value of its last acknowledged write (deleted keys absent). */
  readonly acknowledgedEntries: readonly Entry[]
  /** Every key the clients ever wrote, deleted ones included. */
  readonly touchedKeys: readonly string[]
  /** Where the shards' files were (gone afterwards unless the caller gave `dataDir`). */
  readonly paths: readonly string[]
  readonly workload: WorkloadTotals
  readonly faults: readonly FaultRecord[]
  readonly incidents: readonly Incident[]
  readonly monitor: readonly TargetSummary[]
  readonly throughRouter: Diff
  readonly files: { readonly diff: Diff; readonly duplicates: number; readonly records: number; readonly bytes: number; readonly lines: number; readonly tornBytes: number }
  readonly coldRestart: { readonly diff: Diff; readonly recoveredKeys: readonly number[] }
  /** The shards and writers as they were at the end (counters since their last restart). */
  readonly shardReports: readonly ShardReport[]
  readonly writers: readonly WriterStats[]
  readonly worker: { readonly crashes: number; readonly hangs: number; readonly restarts: number }
  readonly deadLetters: number
  readonly seconds: number
}

/** Each shard's file is compacted once it holds 300 records and twice as many as its live keys. */
const COMPACTION: CompactionPolicy = { minRecords: 300, factor: 2 }
/** troupe's worker watchdog: a worker silent this long is terminated as hung. */
const HEARTBEAT = { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1_000 }
/** The monitor pings more often than the watchdog's timeout, so it speaks first, and names the actor. */
const MONITOR: MonitorSettings = { intervalMs: 100, timeoutMs: 300, watchdogTimeoutMs: HEARTBEAT.heartbeatTimeoutMs }
/** A client request's deadline: a request lost with a worker costs this much, then is retried. */
const REQUEST_TIMEOUT_MS = 1_500

/**
 * The KV store under faults: clients write and read through the router while each fault of the
 * plan kills or hangs a shard or a writer. Then every acknowledged write is looked for, with its
 * exact value, through the router, in each shard's map, in the files, and after a cold restart.
 */
export async function runKvStore(options: KvStoreOptions): Promise<KvStoreResult> {
  const shardCount = options.shards ?? 2
  const clients = options.clients ?? 32
  const keysPerClient = options.keysPerClient ?? 16
  const writesPerPhase = options.writesPerPhase ?? 400
  const faults = options.faults ?? DEFAULT_FAULTS
  for (const [name, value] of Object.entries({ shards: shardCount, clients, keysPerClient, writesPerPhase })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`)
  }
  const badFault = faults.find((fault) => !(Number.isInteger(fault.shard) && fault.shard >= 0 && fault.shard < shardCount))
  if (badFault !== undefined) throw new RangeError(`fault "${describeFault(badFault)}" names a shard outside 0..${shardCount - 1}`)

  const started = performance.now()
  const { log } = options
  const say = (line: string): void => log(`[${((performance.now() - started) / 1000).toFixed(2).padStart(5)} s] ${line}`)
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'troupe-kv-store-')))
  const plan: StorePlan = { dataDir, shards: shardCount, compaction: COMPACTION }
  const workers = shardCount * 2
  try {
    const live = await runWithFaults({ plan, workers, clients, keysPerClient, writesPerPhase, faults, seed: options.seed ?? 7, log, say })
    say('system shut down; every writer closed its file. Reading the files from disk')
    // On disk, after the system shut down and every writer closed its file.
    const files = await Promise.all(live.shards.map((shard) => auditFile(shard.shard, shard.path)))
    const merged = mergeFiles(files)
    const ledgerEntries = new Map(live.ledger.entries())
    const fileDiff = diff(ledgerEntries, merged.entries)
    say('cold restart: a new system on the same files, spawned the same way')
    const cold = await coldRestart(plan, workers, live.ledger.touchedKeys(), say)
    const coldDiff = diff(ledgerEntries, cold.entries)
    say(`cold restart: the shards read back ${cold.recoveredKeys.map((n) => exact(n)).join(' + ')} keys from their writers`)

    const checks = checkKvStore({
      acknowledgedWrites: live.ledger.writes,
      workload: live.totals,
      throughRouter: live.throughRouter,
      shardsVsFiles: live.shardEntries.map(({ shard, entries }) => ({ shard, diff: diff(fileOf(files, shard).entries, entries) })),
      files: { diff: fileDiff, duplicates: merged.duplicates, tornBytes: sum(files.map((file) => file.tornBytes)), records: sum(files.map((file) => file.records)) },
      coldRestart: coldDiff,
      faults: live.faults,
      incidents: live.incidents,
    })
    const ok = checks.every((check) => check.passed)
    const seconds = (performance.now() - started) / 1000
    const filesSummary = { diff: fileDiff, duplicates: merged.duplicates, records: sum(files.map((f) => f.records)), bytes: sum(files.map((f) => f.bytes)), lines: sum(files.map((f) => f.lines)), tornBytes: sum(files.map((f) => f.tornBytes)) }

    log('')
    for (const line of faultTable(live.faults, live.incidents)) log(`  ${line}`)
    log('')
    const where: (readonly [string, Diff])[] = [
      ['read through the router after the faults', live.throughRouter],
      ["in the log files on disk (all shards' files)", fileDiff],
      ['after a cold restart, through a new router', coldDiff],
    ]
    for (const line of whereTable(live.ledger.liveKeys, where)) log(`  ${line}`)
    log('')
    const { totals } = live
    log(`  clients: ${exact(live.ledger.sets)} sets and ${exact(live.ledger.deletes)} deletes acknowledged, ${exact(totals.reads)} reads; ${exact(totals.retries)} retries (${describeCodes(totals.retriesByCode)})`)
    log(`  writers, since their last restart: ${live.writers.map((w, i) => `${live.shards[i]!.shard} made ${exact(w.appends)} appends durable with ${exact(w.flushes)} fsyncs (up to ${exact(w.largestGroup)} per fsync) and compacted ${times(w.compactions)}`).join('; ')}`)
    log(`  files: ${exact(filesSummary.records)} records in ${exact(filesSummary.lines)} lines, ${exact(filesSummary.bytes)} bytes, for ${exact(live.ledger.writes)} acknowledged writes`)
    log(`  troupe: ${exact(live.worker.crashes)} workers died, ${exact(live.worker.hangs)} of them hung; ${exact(live.worker.restarts)} actor restarts; ${exact(live.deadLetters)} dead letters`)
    log('')
    for (const line of checkLines(checks)) log(`  ${line}`)
    log('')
    log(`${ok ? 'PASS' : 'FAIL'}: ${checks.filter((check) => check.passed).length}/${checks.length} checks, ${seconds.toFixed(1)} s`)

    return {
      ok,
      checks,
      workers,
      shards: live.shards.map(({ shard, kvThread, writerThread }) => ({ shard, kvThread, writerThread })),
      acknowledged: { writes: live.ledger.writes, sets: live.ledger.sets, deletes: live.ledger.deletes, liveKeys: live.ledger.liveKeys },
      acknowledgedEntries: live.ledger.entries(),
      touchedKeys: live.ledger.touchedKeys(),
      paths: live.shards.map((shard) => shard.path),
      workload: totals,
      faults: live.faults,
      incidents: live.incidents,
      monitor: live.monitor,
      throughRouter: live.throughRouter,
      files: filesSummary,
      coldRestart: { diff: coldDiff, recoveredKeys: cold.recoveredKeys },
      shardReports: live.shardReports,
      writers: live.writers,
      worker: live.worker,
      deadLetters: live.deadLetters,
      seconds,
    }
  } finally {
    if (ownDir) await rm(dataDir, { recursive: true, force: true })
  }
}

type LiveRun = {
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

function startSystem(workers: number): Promise<ActorSystem> {
  return ActorSystem.start({ workers, actors: KV_STORE_ACTOR_MODULES, ...HEARTBEAT })
}

/** The system with faults: clients run, each fault is injected and recovered, then the state is read back. */
async function runWithFaults(run: LiveRun) {
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
    const live = await readBack(store, ledger, monitor)
    const deadLetters = system.deadLetters.count
    return { ...live, ledger, totals, faults, worker: { crashes: recoveries.crashes.length, hangs: recoveries.hangs.length, restarts: recoveries.restarts }, deadLetters }
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
async function coldRestart(plan: StorePlan, workers: number, keys: readonly string[], say: (line: string) => void) {
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
    let notices
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

function fileOf(files: readonly FileAudit[], shard: string): FileAudit {
  return files.find((file) => file.shard === shard)!
}

const sum = (values: readonly number[]): number => values.reduce((total, n) => total + n, 0)
const times = (n: number): string => (n === 1 ? 'once' : `${exact(n)} times`)

function describeCodes(codes: Readonly<Record<string, number>>): string {
  const parts = Object.entries(codes).map(([code, n]) => `${exact(n)} × ${code}`)
  return parts.length === 0 ? 'none' : parts.join(', ')
}
