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
