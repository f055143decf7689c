import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { exact } from '../shared/format.js'
import type { CompactionPolicy, Entry, WriterStats } from '../store/index.js'
import { auditFile, diff, mergeFiles, type Diff, type FileAudit } from './audit.js'
import { checkKvStore, type Check, type FaultRecord } from './checks.js'
import { DEFAULT_FAULTS, describeFault, type Fault } from './fault-plan.js'
import type { TargetSummary } from './heartbeat-monitor.js'
import type { Incident } from './incidents.js'
import type { ShardReport } from './kv-shard.js'
import { coldRestart, runWithFaults } from './live-run.js'
import { summaryLines } from './report.js'
import type { StorePlan } from './topology.js'
import type { WorkloadTotals } from './workload.js'

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
    const files = await Promise.all(live.shards.map((shard) => auditFile(shard.shard, shard.path)))
    const merged = mergeFiles(files)
    const ledgerEntries = new Map(live.ledger.entries())
    const fileDiff = diff(ledgerEntries, merged.entries)
    const total = (field: 'records' | 'bytes' | 'lines' | 'tornBytes'): number => files.reduce((sum, file) => sum + file[field], 0)
    const filesSummary = { diff: fileDiff, duplicates: merged.duplicates, records: total('records'), bytes: total('bytes'), lines: total('lines'), tornBytes: total('tornBytes') }
    say('cold restart: a new system on the same files, spawned the same way')
    const cold = await coldRestart(plan, workers, live.ledger.touchedKeys())
    const coldDiff = diff(ledgerEntries, cold.entries)
    say(`cold restart: the shards read back ${cold.recoveredKeys.map((n) => exact(n)).join(' + ')} keys from their writers`)

    const checks = checkKvStore({
      acknowledgedWrites: live.ledger.writes,
      workload: live.totals,
      throughRouter: live.throughRouter,
      shardsVsFiles: live.shardEntries.map(({ shard, entries }) => ({ shard, diff: diff(fileOf(files, shard).entries, entries) })),
      files: filesSummary,
      coldRestart: coldDiff,
      faults: live.faults,
      incidents: live.incidents,
    })
    const ok = checks.every((check) => check.passed)
    const seconds = (performance.now() - started) / 1000
    for (const line of summaryLines({ live, fileDiff, coldDiff, files: filesSummary, checks, seconds })) log(line)

    return {
      ok,
      checks,
      workers,
      shards: live.shards.map(({ shard, kvThread, writerThread }) => ({ shard, kvThread, writerThread })),
      acknowledged: { writes: live.ledger.writes, sets: live.ledger.sets, deletes: live.ledger.deletes, liveKeys: live.ledger.liveKeys },
      acknowledgedEntries: live.ledger.entries(),
      touchedKeys: live.ledger.touchedKeys(),
      paths: live.shards.map((shard) => shard.path),
      workload: live.totals,
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

function fileOf(files: readonly FileAudit[], shard: string): FileAudit {
  return files.find((file) => file.shard === shard)!
}
