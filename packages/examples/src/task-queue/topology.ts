import type { ActorRef, ActorSystem, PoolRouter } from 'troupe'
import { ResultAggregator } from './aggregator.js'
import { TaskMaster, type MasterSettings } from './master.js'
import { Monitor } from './monitor.js'
import { Submitter } from './submitter.js'
import type { WorkerInfo } from './types.js'
import { TaskWorker } from './worker.js'

export interface QueueActors {
  readonly master: ActorRef<TaskMaster>
  readonly pool: PoolRouter<TaskWorker>
  readonly aggregator: ActorRef<ResultAggregator>
  readonly monitor: ActorRef<Monitor>
  readonly submitter: ActorRef<Submitter>
  /** The pool's routees, labelled w1..wN, with the thread each runs on. */
  readonly workers: readonly WorkerInfo[]
  readonly submitterThread: number
}

/** Tasks a routee may hold at once. 1: it is given the next task only once it is idle. */
const PREFETCH = 1

export interface QueueSetup {
  readonly poolSize: number
  readonly capacity: number
  readonly maxAttempts: number
  readonly attemptTimeoutMs: number
  readonly monitorIntervalMs: number
}

/**
 * The master, the router, the aggregator and the monitor on the main thread: they only route and
 * count, and a router shares its thread's event loop with whatever else runs there, so it is kept
 * away from the workers. The routees go round-robin over the worker threads, and CPU-heavy work
 * goes from them to the offload pool. The flood's submitter runs on a worker, so its submits
 * cross threads like a real client's.
 */
export async function spawnQueue(system: ActorSystem, setup: QueueSetup): Promise<QueueActors> {
  const aggregator = await system.spawn(ResultAggregator, { name: 'aggregator', placement: 'main' })
  const pool = await system.router(TaskWorker, {
    name: 'workers',
    strategy: 'balancing',
    size: setup.poolSize,
    // A worker is given a task only when it holds none: an idle worker takes the next task, and
    // no task waits behind a long one on a busy worker (the work-stealing equivalent).
    prefetch: PREFETCH,
    placement: 'main',
    routee: { args: [aggregator], placement: 'round-robin' },
  })
  const routees = await pool.routees()
  const workers = await Promise.all(routees.map(async (routee, i): Promise<WorkerInfo> => ({ worker: routee.id, label: `w${i + 1}`, thread: await routee.ask.thread() })))
  aggregator.tell.workers(workers)
  const settings: MasterSettings = { capacity: setup.capacity, slots: setup.poolSize * PREFETCH, maxAttempts: setup.maxAttempts, attemptTimeoutMs: setup.attemptTimeoutMs }
  const master = await system.spawn(TaskMaster, { name: 'master', placement: 'main', args: [pool, aggregator, settings] })
  const monitor = await system.spawn(Monitor, { name: 'monitor', placement: 'main', args: [master, aggregator, setup.monitorIntervalMs] })
  const submitter = await system.spawn(Submitter, { name: 'submitter', placement: { worker: 0 } })
  return { master, pool, aggregator, monitor, submitter, workers, submitterThread: await submitter.ask.thread() }
}
