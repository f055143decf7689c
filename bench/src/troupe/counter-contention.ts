// mutex.atomics and actor.counter: W concurrent tasks incrementing one shared counter, K times each.
import type { ActorRef } from 'troupe'
import { hasKind } from '../baselines/worker-protocol.js'
import { withWorkers, type WorkerGroup } from '../baselines/worker-group.js'
import type { BenchmarkDefinition } from '../harness.js'
import { Counter, IncrementSender } from './counter-contention-actors.js'
import { COUNTER_INDEX, SHARED_INTS } from './counter-contention-mutex.js'
import type { IncrementCommand, IncrementedReport, MutexWorkerData } from './counter-contention-mutex.js'
import { check, withSystem } from './system.js'

const COUNTER_ACTORS = new URL('./counter-contention-actors.js', import.meta.url)
const MUTEX_WORKER = new URL('./counter-contention-mutex-worker.js', import.meta.url)

/** Concurrent tasks: threads (mutex.atomics) or sender actors (actor.counter). */
export const contentionTasks = 4
/** Increments per task in the timed pass; the untimed pass does a quarter. */
export const incrementsPerTask = { full: 2_500_000, quick: 500_000 }
/** Workers of actor.counter's system. */
const systemWorkers = 2
/** actor.counter's flow control: increments per credit, and credits outstanding per sender. */
const chunk = 1000
const window = 2

const isIncremented = hasKind<IncrementedReport>('incremented')

/** One mutex pass: reset the counter, start every worker, time until the last one is done. */
async function mutexPass(group: WorkerGroup, cells: Int32Array, perTask: number): Promise<number> {
  Atomics.store(cells, COUNTER_INDEX, 0)
  const done = group.workers.map((_, index) => group.nextMessage(index, isIncremented, 'locked increments'))
  const command: IncrementCommand = { kind: 'increment', count: perTask }
  const started = performance.now()
  for (const worker of group.workers) worker.postMessage(command)
  await Promise.all(done)
  const seconds = (performance.now() - started) / 1000
  check('mutex.atomics: final counter', Atomics.load(cells, COUNTER_INDEX), contentionTasks * perTask)
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return (contentionTasks * perTask) / seconds
}

async function mutexRun(quick: boolean): Promise<number> {
  const perTask = quick ? incrementsPerTask.quick : incrementsPerTask.full
  const shared = new SharedArrayBuffer(SHARED_INTS * Int32Array.BYTES_PER_ELEMENT)
  const cells = new Int32Array(shared)
  const workerData: MutexWorkerData = { shared }
  const specs = Array.from({ length: contentionTasks }, () => ({ url: MUTEX_WORKER, workerData }))
  return withWorkers(specs, async (group) => {
    await mutexPass(group, cells, Math.ceil(perTask / 4))
    return mutexPass(group, cells, perTask)
  })
}

/** One actor pass: arm the counter, start every sender at once, time until the counter has counted all. */
async function actorPass(counter: ActorRef<Counter>, senders: readonly ActorRef<IncrementSender>[], perTask: number): Promise<number> {
  const total = senders.length * perTask
  await counter.ask.arm(total)
  const started = performance.now()
  const done = counter.ask.done()
  for (const sender of senders) sender.tell.start(counter, perTask, chunk, window)
  const count = await done
  const seconds = (performance.now() - started) / 1000
  check('actor.counter: final count', count, total)
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return total / seconds
}

async function actorRun(quick: boolean): Promise<number> {
  const perTask = quick ? incrementsPerTask.quick : incrementsPerTask.full
  return withSystem(
    systemWorkers,
    'actor.counter',
    async (system) => {
      const counter = await system.spawn(Counter, { placement: { worker: 0 } })
      check('actor.counter: counter thread', await counter.ask.thread(), 1)
      const senders: ActorRef<IncrementSender>[] = []
      for (let i = 0; i < contentionTasks; i++) {
        const worker = i % systemWorkers
        const sender = await system.spawn(IncrementSender, { placement: { worker } })
        // ctx.thread counts the main thread as 0, so worker i is thread i + 1.
        check('actor.counter: sender thread', await sender.ask.thread(), worker + 1)
        senders.push(sender)
      }
      await actorPass(counter, senders, Math.ceil(perTask / 4))
      return actorPass(counter, senders, perTask)
    },
    { actors: [COUNTER_ACTORS] },
  )
}

export const mutexAtomics: BenchmarkDefinition = { id: 'mutex.atomics', unit: 'ops/s', run: mutexRun }
export const actorCounter: BenchmarkDefinition = { id: 'actor.counter', unit: 'ops/s', run: actorRun }
