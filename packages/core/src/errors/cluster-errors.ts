import { TroupeError } from './errors.js'

/**
 * The cluster could not be joined or used: NATS could not be reached in time, another live node
 * already has this node's name, or a cluster feature was used by a system started without the
 * `cluster` option. The message says which.
 */
export class ClusterError extends TroupeError {
  readonly code = 'ERR_CLUSTER'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/**
 * The node an actor lives on was declared down (it left, or stopped answering heartbeats) while
 * an ask to it waited for its answer: the ask rejects with this at once instead of at its deadline.
 */
export class NodeDownError extends TroupeError {
  readonly code = 'ERR_NODE_DOWN'
  constructor(
    /** The name of the node that went down. */
    readonly node: string,
    reason: string,
  ) {
    super(`node ${node} is down: ${reason}`)
  }
}
