// entity.* and reminder.* benchmarks (virtual actors on LMDB): activation rate, commit rate against
// raw LMDB puts, memory with a million entities activated then passivated, and reminder lag.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActorSystem } from 'troupe'
import type { BenchmarkDefinition, RunFigures } from '../harness.js'
import { Driver, Gauge, Visitor } from './entity-actors.js'
import { check, hostedActors, withSystem } from './system.js'

const ENTITY_ACTORS = new URL('./entity-actors.js', import.meta.url)
/** Asks in flight at once per driver: enough to keep both workers busy, few enough to keep memory flat. */
const WINDOW = 1000

/** Runs `body` on a 2-worker system with a fresh LMDB store, removed afterwards. */
async function withStore<T>(what: string, idleTimeoutMs: number, body: (system: ActorSystem) => Promise<T>): Promise<T> {
  const path = mkdtempSync(join(tmpdir(), 'troupe-bench-entities-'))
  try {
    return await withSystem(2, what, body, {
      actors: [ENTITY_ACTORS],
      // Durable commits ('sync', the default), as the raw LMDB baseline's.
      options: { persistence: { store: 'lmdb', path }, entities: { idleTimeoutMs } },
      timeoutMs: 600_000,
    })
  } finally {
    rmSync(path, { recursive: true, force: true })
  }
}

type Drive = Parameters<Driver['drive']>

/** One driver per worker; `drive` splits keys [0, n) between them and resolves when all are answered. */
async function drivers(system: ActorSystem): Promise<(kind: Drive[0], method: Drive[1], prefix: string, n: number, argument?: number) => Promise<void>> {
  const all = await Promise.all([0, 1].map((worker) => system.spawn(Driver, { placement: { worker } })))
  return async (kind, method, prefix, n, argument) => {
    const half = Math.ceil(n / 2)
    const done = await Promise.all(all.map((driver, i) => driver.ask.drive(kind, method, prefix, i * half, Math.min(n, (i + 1) * half), WINDOW, argument)))
    check('messages answered', done.reduce((a, b) => a + b, 0), n)
  }
}

/** Resolves once `check` holds, polling every 20 ms; fails after `ms`. */
async function until(what: string, ms: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + ms
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const activateId = 'entity.activate.rate'
const activeRssId = 'entity.active.rss'
const millionRssId = 'entity.million.rss'
const heapId = 'entity.million.heap'

/**
 * First messages to distinct new entities (10^6; 10^5 quick), asks from a driver actor on each
 * worker, 1000 in flight each: each activates its entity on the worker its key hashes to (a store read that finds
 * nothing, the class constructed). Companions: RSS of the process with all of them active, and
 * once every one of them has passivated (idle 2 s) and the workers have collected their garbage,
 * in MB; and the workers' heaps then (what is still held: RSS keeps pages V8 has not handed back).
 */
async function activate(quick: boolean): Promise<RunFigures> {
  const n = quick ? 100_000 : 1_000_000
  return withStore(activateId, 2000, async (system) => {
    const drive = await drivers(system)
    const gauges = await Promise.all([0, 1].map((worker) => system.spawn(Gauge, { placement: { worker } })))
    const baseline = await hostedActors(system)
    const started = performance.now()
    await drive('visitor', 'touch', 'v', n)
    const seconds = (performance.now() - started) / 1000
    const activeRss = process.memoryUsage().rss / 2 ** 20
    await until('passivation of every entity', 120_000, async () => (await hostedActors(system)) === baseline)
    // What passivation freed shows in RSS only once it is collected (V8 then hands pages back).
    const heaps = await Promise.all(gauges.map((gauge) => gauge.ask.collect()))
    const passivatedRss = process.memoryUsage().rss / 2 ** 20
    const workerHeaps = heaps.reduce((a, b) => a + b, 0) / 2 ** 20
    return { figure: n / seconds, companions: { [activeRssId]: activeRss, [millionRssId]: passivatedRss, [heapId]: workerHeaps } }
  })
}

export const entityActivateRate: BenchmarkDefinition = {
  id: activateId,
  unit: 'msg/s',
  companions: [
    { id: activeRssId, unit: 'MB' },
    { id: millionRssId, unit: 'MB' },
    { id: heapId, unit: 'MB' },
  ],
  rounds: { timed: 3, warmup: 0 },
  run: activate,
}

const persistId = 'entity.persist.rate'

/**
 * State commits per second: 10^5 entities (10^4 quick), each incrementing its counter, asks from
 * a driver actor on each worker, 1000 in flight each. The entities are activated by an untimed pass first, so the timed one
 * is all commits (one LMDB write each, many in one transaction per turn).
 */
async function persist(quick: boolean): Promise<number> {
  const n = quick ? 10_000 : 100_000
  return withStore(persistId, 600_000, async (system) => {
    const drive = await drivers(system)
    await drive('visitor', 'inc', 'p', n)
    const started = performance.now()
    await drive('visitor', 'inc', 'p', n)
    const seconds = (performance.now() - started) / 1000
    check('counter after two passes', await system.entity(Visitor, `p${n - 1}`).ask.inc(), 3)
    return n / seconds
  })
}

export const entityPersistRate: BenchmarkDefinition = { id: persistId, unit: 'commits/s', rounds: { timed: 5, warmup: 1 }, run: persist }

const reminderId = 'reminder.lag.p99'

/**
 * 10^4 reminders (10^3 quick), on as many entities, all due at the same instant 1.5 s after the
 * last was armed: the 99th percentile of (handler start − due time), in ms, over both workers.
 */
async function reminderLag(quick: boolean): Promise<number> {
  const n = quick ? 1000 : 10_000
  return withStore(reminderId, 600_000, async (system) => {
    const gauges = await Promise.all([0, 1].map((worker) => system.spawn(Gauge, { placement: { worker } })))
    const drive = await drivers(system)
    // Armed with a due time far enough ahead for all of them to be stored first.
    const dueAt = Date.now() + 1500 + n / 10
    await drive('alarm', 'arm', 'a', n, dueAt)
    check('armed before due', Date.now() < dueAt, true)
    const lags: number[] = []
    await until('every reminder fired', 60_000, async () => {
      for (const gauge of gauges) lags.push(...(await gauge.ask.lags()))
      return lags.length >= n
    })
    check('reminders fired', lags.length, n)
    lags.sort((a, b) => a - b)
    return Math.max(0, lags[Math.ceil(n * 0.99) - 1]!)
  })
}

export const reminderLagP99: BenchmarkDefinition = { id: reminderId, unit: 'ms', rounds: { timed: 3, warmup: 0 }, run: reminderLag }
