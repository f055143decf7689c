// The messages of the task queue: plain data, so they cross threads unchanged.

export type Priority = 'high' | 'normal' | 'low'

/** Highest first: the order in which the master hands tasks out. */
export const PRIORITIES: readonly Priority[] = ['high', 'normal', 'low']

/**
 * A task as a client submits it.
 * - `io` tasks wait `cost` ms on the worker (a stand-in for a call to another service);
 * - `cpu` tasks compute for about `cost` ms in the offload pool, so no actor thread is blocked.
 */
export interface TaskSpec {
  /** Unique per run, and readable in the output: "H1", "f-017". */
  readonly id: string
  readonly priority: Priority
  readonly kind: 'io' | 'cpu'
  readonly cost: number
  /** How many attempts fail before one succeeds: 0 (default) never fails, 'always' never succeeds. */
  readonly failures?: number | 'always'
  /** The task is worthless this many ms after it was submitted: it must not run after that. */
  readonly deadlineMs?: number
}

/** One attempt at a task, as the master sends it to the worker pool. */
export interface Job {
  readonly id: string
  readonly kind: TaskSpec['kind']
  readonly cost: number
  readonly failures: number | 'always'
  /** 1 for the first attempt. */
  readonly attempt: number
  /** Epoch ms after which the task must not start; absent: no deadline. */
  readonly deadlineAt?: number
}

/** What a worker answers for one attempt. An error without `worker` never reached one (the ask failed). */
export type Attempt =
  | { readonly status: 'ok'; readonly worker: number; readonly checksum: number }
  | { readonly status: 'error'; readonly worker?: number; readonly reason: string }
  | { readonly status: 'expired'; readonly worker: number }

export type FinalStatus = 'done' | 'failed' | 'expired'

/** A task's one final outcome, as the master reports it to the aggregator. */
export interface Outcome {
  readonly id: string
  readonly status: FinalStatus
  readonly attempts: number
  /** The worker (routee id) of the last attempt; absent when the task never reached one. */
  readonly worker?: number
  /** Why it expired, or the error of its last attempt. */
  readonly reason?: string
}

/** The answer to `submit`: the task is in the queue (or already settled, if it was expired). */
export interface Receipt {
  readonly id: string
  /** Tasks waiting in the master's queue right after this one was admitted. */
  readonly depth: number
  /** Whether the submitter had to wait for room (backpressure). */
  readonly waited: boolean
}

/** A task handed to the pool. `overtook` counts lower-priority tasks admitted earlier and still waiting. */
export interface Dispatch {
  readonly id: string
  readonly priority: Priority
  readonly attempt: number
  readonly overtook: number
}

export interface QueueSnapshot {
  /** Tasks waiting, per priority. */
  readonly waiting: Readonly<Record<Priority, number>>
  readonly depth: number
  /** The admission limit: `depth` never exceeds it. */
  readonly capacity: number
  /** The most tasks that ever waited at once. */
  readonly highWater: number
  /** Attempts handed to the pool and not answered yet. */
  readonly inFlight: number
  /** How many attempts the pool may hold at once (routees × prefetch). */
  readonly slots: number
  /** Submitters waiting for room right now, and in total so far. */
  readonly parked: number
  readonly parkedTotal: number
  readonly admitted: number
  readonly retried: number
  /** Tasks that expired while waiting in the queue. */
  readonly expiredInQueue: number
}

/** One worker's row of the live table. */
export interface WorkerRow {
  readonly worker: number
  readonly label: string
  readonly thread: number
  readonly inFlight: number
  readonly done: number
  /** Failed attempts on this worker (a retried task may fail here and succeed elsewhere). */
  readonly failed: number
  /** Tasks this worker was given after their deadline, and so did not run. */
  readonly expired: number
}

export interface Totals {
  readonly settled: number
  readonly done: number
  readonly failed: number
  readonly expired: number
}

export interface AggregateSnapshot {
  readonly workers: readonly WorkerRow[]
  readonly totals: Totals
}

export interface WorkerInfo {
  readonly worker: number
  readonly label: string
  readonly thread: number
}
