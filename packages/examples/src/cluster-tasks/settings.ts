// The numbers of the cluster-tasks example, shared by the launcher and the node processes.
import type { Priority } from './jobs.js'

/** The three node processes. `a` holds the tally and the monitor; `c` is SIGKILLed mid-run. */
export const NODES = ['a', 'b', 'c'] as const
export type NodeName = (typeof NODES)[number]
export const TALLY_NODE: NodeName = 'a'
export const KILLED_NODE: NodeName = 'c'

/**
 * How much slower each node works (a multiplier of every job's cost): b stands for an older
 * machine. Nodes pull jobs only when they have a free slot, so the slow one simply takes fewer.
 */
export const NODE_SLOWNESS: Readonly<Record<NodeName, number>> = { a: 1, b: 2, c: 1 }

/** Jobs of one priority's handler in hand at once on a node (running or waiting for a node slot). */
export const MAX_JOBS = 3
/** Jobs of all three handlers running at once on a node: the node's budget, handed out by priority. */
export const NODE_MAX_JOBS = 3
export const MAX_ATTEMPTS = 5
/** After the 1st failed attempt 200 ms, after the 2nd 400 ms, then 800 ms. */
export const RETRY_DELAY_MS: readonly number[] = [200, 400, 800]
/** A dead node's jobs come back this long after its last pulse. Short, so the example stays short. */
export const ACK_WAIT_MS = 2000
/**
 * Each priority's deadline: an attempt running longer fails with JobTimeoutError and is retried.
 * Well above a job's cost (at most 400 ms on the slow node), so that only the hanging jobs meet it
 * even on a loaded machine.
 */
export const JOB_TIMEOUT_MS: Readonly<Record<Priority, number>> = { high: 1500, normal: 2000, low: 2500 }
/** Jobs each node's producer publishes per priority. */
export const JOBS_PER_PRIORITY = 10
/** Writing the job's receipt after its effect: a node killed then has applied the effect but not acknowledged it. */
export const RECEIPT_MS = 60
/** How often node a's monitor prints the tally. */
export const MONITOR_INTERVAL_MS = 400

export const streamName = (priority: Priority): string => `tasks-${priority}`
export const handlerName = (priority: Priority): string => `run-${priority}`
