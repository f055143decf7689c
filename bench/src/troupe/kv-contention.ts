// kv.mutex.atomics, kv.actors.router and kv.actors.direct: the kv-store example's shape without
// its disk. W tasks doing the same seeded mix of sets, deletes and gets on their own keys of one
// shared key space: through a table behind one Atomics mutex, through a consistent-hash router
// in front of KV shard actors, or asking the shard that owns the key directly. Every run checks
// every get against the task's model, and the final contents against all the models.
import type { ActorRef, ActorSystem } from 'troupe'
import { hasKind } from '../baselines/worker-protocol.js'
import { withWorkers, type WorkerGroup } from '../baselines/worker-group.js'
import type { BenchmarkDefinition } from '../harness.js'
import { KvBenchClient, KvBenchShard } from './kv-actors.js'
import { KV_VALUES, type KvMutexWorkerData, type KvRanReport, type KvRunCommand } from './kv-mutex-protocol.js'
import { ABSENT, kvKeys, kvOpsPerTask, kvTasks } from './kv-workload.js'
import { check, withSystem } from './system.js'

const KV_ACTORS = new URL('./kv-actors.js', import.meta.url)
const KV_MUTEX_WORKER = new URL('./kv-mutex-worker.js', import.meta.url)

/** The router system: one shard per worker, as in the example (minus the writers). */
const systemWorkers = 2
/** Asks each client keeps in flight. */
const window = 32
const isRan = hasKind<KvRanReport>('kv-ran')

type Model = readonly (readonly [key: number, value: number])[]

/** Throws unless `actual` holds exactly the union of the tasks' models (tasks own disjoint keys). */
function checkContents(what: string, actual: ReadonlyMap<number, number>, models: readonly Model[]): void {
  const expected = new Map(models.flat())
  check(`${what}: keys present`, actual.size, expected.size)
  for (const [key, value] of expected) {
    if (actual.get(key) !== value) throw new Error(`${what}: key ${key} holds ${String(actual.get(key))}, expected ${value}`)
  }
}

async function mutexPass(group: WorkerGroup, cells: Int32Array, perTask: number, seed: number): Promise<number> {
  cells.fill(ABSENT, KV_VALUES)
  const done = group.workers.map((_, index) => group.nextMessage(index, isRan, 'kv ops under the mutex'))
  const started = performance.now()
  group.workers.forEach((worker, task) => worker.postMessage({ kind: 'kv-run', task, ops: perTask, seed } satisfies KvRunCommand))
  const reports = await Promise.all(done)
  const seconds = (performance.now() - started) / 1000
  check('kv.mutex.atomics: stale reads', reports.reduce((sum, report) => sum + report.staleReads, 0), 0)
  const table = new Map<number, number>()
  for (let key = 0; key < kvKeys; key++) if (cells[KV_VALUES + key] !== ABSENT) table.set(key, cells[KV_VALUES + key]!)
  checkContents('kv.mutex.atomics', table, reports.map((report) => report.model))
  return (kvTasks * perTask) / seconds
}

async function mutexRun(quick: boolean): Promise<number> {
  const perTask = quick ? kvOpsPerTask.mutex.quick : kvOpsPerTask.mutex.full
  const shared = new SharedArrayBuffer((KV_VALUES + kvKeys) * Int32Array.BYTES_PER_ELEMENT)
  const cells = new Int32Array(shared)
  const workerData: KvMutexWorkerData = { shared }
  const specs = Array.from({ length: kvTasks }, () => ({ url: KV_MUTEX_WORKER, workerData }))
  return withWorkers(specs, async (group) => {
    await mutexPass(group, cells, Math.ceil(perTask / 4), 1)
    return mutexPass(group, cells, perTask, 2)
  })
}

type ActorPass = {
  readonly what: string
  /** What the clients ask: the router alone, or every shard (each client picks the key's owner). */
  readonly targets: readonly ActorRef<KvBenchShard>[]
  readonly shards: readonly ActorRef<KvBenchShard>[]
  readonly clients: readonly ActorRef<KvBenchClient>[]
}

async function actorPass(pass: ActorPass, perTask: number, seed: number): Promise<number> {
  await Promise.all(pass.shards.map((shard) => shard.ask.clear()))
  const started = performance.now()
  const reports = await Promise.all(pass.clients.map((client, task) => client.ask.run(pass.targets, task, perTask, seed, window)))
  const seconds = (performance.now() - started) / 1000
  check(`${pass.what}: stale reads`, reports.reduce((sum, report) => sum + report.staleReads, 0), 0)
  const contents = new Map((await Promise.all(pass.shards.map((shard) => shard.ask.entries()))).flat())
  checkContents(pass.what, contents, reports.map((report) => report.model))
  return (kvTasks * perTask) / seconds
}

function actorRun(what: string, routed: boolean): (quick: boolean) => Promise<number> {
  const body = async (system: ActorSystem, perTask: number): Promise<number> => {
    const shards: ActorRef<KvBenchShard>[] = []
    for (let worker = 0; worker < systemWorkers; worker++) {
      const shard = await system.spawn(KvBenchShard, { placement: { worker } })
      // ctx.thread counts the main thread as 0, so worker i is thread i + 1.
      check(`${what}: shard thread`, await shard.ask.thread(), worker + 1)
      shards.push(shard)
    }
    // As in the example: a group router on the main thread, keyed by the first argument.
    const targets = routed ? [await system.router(shards, { strategy: 'consistent-hash', placement: 'main', hashKey: { argument: 0 } })] : shards
    const clients: ActorRef<KvBenchClient>[] = []
    for (let task = 0; task < kvTasks; task++) {
      const worker = task % systemWorkers
      const client = await system.spawn(KvBenchClient, { placement: { worker } })
      check(`${what}: client thread`, await client.ask.thread(), worker + 1)
      clients.push(client.with({ timeoutMs: 60_000 }))
    }
    const pass: ActorPass = { what, targets, shards, clients }
    await actorPass(pass, Math.ceil(perTask / 4), 1)
    return actorPass(pass, perTask, 2)
  }
  return (quick) => withSystem(systemWorkers, what, (system) => body(system, quick ? kvOpsPerTask.actors.quick : kvOpsPerTask.actors.full), { actors: [KV_ACTORS] })
}

export const kvMutexAtomics: BenchmarkDefinition = { id: 'kv.mutex.atomics', unit: 'ops/s', run: mutexRun }
export const kvActorsRouter: BenchmarkDefinition = { id: 'kv.actors.router', unit: 'ops/s', run: actorRun('kv.actors.router', true) }
export const kvActorsDirect: BenchmarkDefinition = { id: 'kv.actors.direct', unit: 'ops/s', run: actorRun('kv.actors.direct', false) }
export const kvBenchmarks: BenchmarkDefinition[] = [kvMutexAtomics, kvActorsRouter, kvActorsDirect]
