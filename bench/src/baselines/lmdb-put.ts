// baseline.lmdb.put: raw lmdb-js puts of small msgpack objects, many per turn, batched by lmdb-js into durable transactions.
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchmarkDefinition } from '../harness.js'
import { withTimeout } from './piscina.js'

/** Puts issued per event-loop turn: lmdb-js commits everything a turn issued in one transaction. */
const putsPerTurn = 1000

interface Counted {
  count: number
}

/** The part of lmdb-js's API used here (typed by hand: see `loadLmdb`). */
interface LmdbDatabase {
  put(key: string, value: Counted): Promise<boolean>
  getRange(options: { start: string; end: string }): Iterable<{ key: string; value: Counted }>
  /** Resolves once every commit so far is flushed to disk. */
  readonly flushed: PromiseLike<unknown>
  close(): Promise<void>
}

interface Lmdb {
  open(options: { path: string }): LmdbDatabase
}

/**
 * lmdb is a dependency of troupe, not of the bench package: resolved from troupe's own
 * dependencies, it is the very copy (and version) that troupe's entity store runs on.
 */
function loadLmdb(): Lmdb {
  const require = createRequire(import.meta.resolve('troupe'))
  return require('lmdb') as Lmdb
}

/**
 * Puts `keys` entries `{ count: n }` (lmdb-js encodes them with msgpack: ~10 bytes), `putsPerTurn`
 * per turn without waiting for the previous ones; resolves once all are committed and flushed.
 */
async function putAll(db: LmdbDatabase, prefix: string, keys: number): Promise<void> {
  const writes: Promise<boolean>[] = []
  for (let n = 0; n < keys; n++) {
    writes.push(db.put(`${prefix}/${n}`, { count: n }))
    if ((n + 1) % putsPerTurn === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  const written = await Promise.all(writes)
  // A put resolves at commit; with lmdb-js's overlappingSync (its default on Linux) the flush
  // comes after, and it is part of what a durable put costs (as in troupe's LmdbStore, 'sync').
  await db.flushed
  if (!written.every(Boolean)) throw new Error(`${prefix}: a put was not written`)
}

/** Throws unless every key of the pass is stored with its value, so a broken run cannot post a fast figure. */
function checkAll(db: LmdbDatabase, prefix: string, keys: number): void {
  let found = 0
  let sum = 0
  // '0' follows '/': this range is exactly the keys `${prefix}/…`.
  for (const { value } of db.getRange({ start: `${prefix}/`, end: `${prefix}0` })) {
    found++
    sum += value.count
  }
  if (found !== keys || sum !== (keys * (keys - 1)) / 2) throw new Error(`${prefix}: found ${found} entries summing to ${sum}, expected ${keys}`)
}

async function lmdbPutRun(quick: boolean): Promise<number> {
  const lmdb = loadLmdb()
  const path = await mkdtemp(join(tmpdir(), 'troupe-bench-lmdb-'))
  // lmdb-js's defaults: msgpack values, durable commits, every put of a turn in one transaction.
  const db = lmdb.open({ path })
  try {
    const keys = quick ? 20_000 : 100_000
    // Untimed pass: grows the file and lets V8 optimise the put path.
    await withTimeout(putAll(db, 'warm', keys / 4), 'warm-up pass')
    const started = performance.now()
    await withTimeout(putAll(db, 'timed', keys), 'timed pass')
    const seconds = (performance.now() - started) / 1000
    checkAll(db, 'timed', keys)
    return keys / seconds
  } finally {
    // Not closed: closing an lmdb environment has aborted this process inside lmdb's native close
    // under load (see LmdbStore.settle). Every write is flushed already; the directory goes, and
    // the handle is released with the process.
    await db.flushed
    await rm(path, { recursive: true, force: true })
  }
}

export const lmdbPut: BenchmarkDefinition = {
  id: 'baseline.lmdb.put',
  unit: 'puts/s',
  run: lmdbPutRun,
}
