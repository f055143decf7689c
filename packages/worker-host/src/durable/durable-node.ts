import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { ClusterError } from '@troupe/core'
import type { SystemRuntime } from '../system/system-runtime.js'
import { ensureStream, wrap } from './jetstream-setup.js'
import { JobBudget } from './job-budget.js'

/** Every JetStream request of durable handlers (stream and consumer set-up, publish, read) is bounded by this. */
export const REQUEST_TIMEOUT_MS = 5000

/** What the node's service knows of a running handler. */
export interface NodeHandler {
  readonly nodeMaxJobs: number | undefined
  stop(): Promise<void>
}

/**
 * The durable handlers' side of one node (one system): its JetStream client over the node's
 * NATS connection, the streams it has made sure of, its job budget, and its running handlers,
 * which are stopped when the system shuts down. One per system, created on first use: a system
 * that never calls `stream()` loads no JetStream code.
 */
export class DurableNode {
  readonly nc: NatsConnection
  readonly js: JetStreamClient
  readonly jsm: JetStreamManager
  readonly cluster: string
  readonly node: string
  readonly budget = new JobBudget()
  readonly #handlers = new Set<NodeHandler>()
  readonly #streams = new Map<string, Promise<string>>()
  #closing: Promise<void> | undefined

  private constructor(nc: NatsConnection, jsm: JetStreamManager, cluster: string, node: string) {
    this.nc = nc
    this.js = jetstream(nc, { timeout: REQUEST_TIMEOUT_MS })
    this.jsm = jsm
    this.cluster = cluster
    this.node = node
  }

  static async open(runtime: SystemRuntime): Promise<DurableNode> {
    const cluster = runtime.cluster
    if (!cluster) throw new ClusterError('durable streams need a cluster: start the system with the cluster option ({ cluster: { servers, node } })')
    let jsm: JetStreamManager
    try {
      jsm = await jetstreamManager(cluster.connection, { timeout: REQUEST_TIMEOUT_MS })
    } catch (error) {
      throw wrap(error, 'JetStream is not available on this NATS server (start nats-server with -js)')
    }
    const node = new DurableNode(cluster.connection, jsm, cluster.name, cluster.node)
    // Closed when shutdown begins, with the other endpoints: handlers stop fetching, and their
    // running jobs settle while the system's actors are still being stopped.
    runtime.endpoints.add(node)
    // And before the node leaves and its connection drains (shutdown() closes the cluster first).
    cluster.addService(node)
    return node
  }

  get closing(): boolean {
    return this.#closing !== undefined
  }

  /** The JetStream stream of troupe stream `name`, created once per node and name (a failure is retried on the next call). */
  stream(name: string): Promise<string> {
    let stream = this.#streams.get(name)
    if (!stream) {
      stream = ensureStream(this.jsm, this.cluster, name)
      this.#streams.set(name, stream)
      stream.catch(() => this.#streams.delete(name))
    }
    return stream
  }

  add(handler: NodeHandler): void {
    this.#handlers.add(handler)
    this.#updateBudget()
  }

  remove(handler: NodeHandler): void {
    this.#handlers.delete(handler)
    this.#updateBudget()
  }

  /** Stops every handler (each waits for its running jobs). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([...this.#handlers].map((handler) => handler.stop().catch(() => undefined))).then(() => undefined)
    return this.#closing
  }

  /** The smallest `nodeMaxJobs` among the running handlers, or no node-wide limit. */
  #updateBudget(): void {
    let limit: number | undefined
    for (const handler of this.#handlers) if (handler.nodeMaxJobs !== undefined) limit = Math.min(limit ?? Infinity, handler.nodeMaxJobs)
    this.budget.limit = limit
  }
}

const nodes = new WeakMap<SystemRuntime, Promise<DurableNode>>()

/** The system's durable service, opened on first use (a failure is retried on the next call). */
export function durableNode(runtime: SystemRuntime): Promise<DurableNode> {
  let node = nodes.get(runtime)
  if (!node) {
    node = DurableNode.open(runtime)
    nodes.set(runtime, node)
    node.catch(() => nodes.delete(runtime))
  }
  return node
}
