import { randomInt } from 'node:crypto'
import type { ResolvedClusterOptions } from '@troupe/core/internal'
import type { SystemRuntime } from '../system/system-runtime.js'
import type { ClusterTransport } from './thread-nats.js'

/**
 * What every thread of a new node needs to reach the others, with the node's id for this run:
 * drawn, not agreed (a collision, 1 in 2^31 per pair of live nodes, is detected when joining).
 */
export function clusterTransport(options: ResolvedClusterOptions): ClusterTransport {
  return { servers: options.servers, name: options.name, node: randomInt(1, 2 ** 31 - 1), connectTimeoutMs: options.connectTimeoutMs }
}

/**
 * Makes a started system a node of its cluster, once each of its threads can receive from other
 * nodes. The cluster's modules (and NATS's client) are imported only here, so a system without
 * `cluster` loads none of them. If joining fails, the system is shut down and the `ClusterError`
 * is what `ActorSystem.start` rejects with. Afterwards, a node declared down is reported to every
 * thread (its links close, the asks waiting on it fail with `NodeDownError`).
 */
export async function joinCluster(runtime: SystemRuntime, options: ResolvedClusterOptions, id: number): Promise<void> {
  const { ClusterNode } = await import('./cluster-node.js')
  try {
    await Promise.all([runtime.mainHost.cluster?.ready, ...runtime.workers.map((worker) => worker.call((control) => control.clusterReady()))])
    runtime.cluster = await ClusterNode.join(options, runtime.events, id, { lookup: (name) => runtime.lookup(name), spawn: (request) => runtime.spawn(0, request), stop: (actor, thread) => runtime.stop(actor, false, thread) })
  } catch (error) {
    await runtime.shutdown().catch(() => undefined)
    const { ClusterError } = await import('@troupe/core')
    throw error instanceof ClusterError ? error : new ClusterError(`cannot join cluster ${options.name}: a thread could not reach NATS at ${options.servers.join(', ')} within ${options.connectTimeoutMs} ms (cluster.connectTimeoutMs): ${(error as Error).message}`, { cause: error })
  }
  runtime.events.subscribe((event) => {
    if (event.type !== 'node-down' || event.self) return
    runtime.mainHost.cluster?.nodeDown(event.id, event.node, event.reason)
    for (const worker of runtime.workers) void worker.call((control) => control.nodeDown(event.id, event.node, event.reason)).catch(() => undefined)
  })
  // Also closed when the system shuts itself down (the guardian gave up), not only by shutdown().
  runtime.endpoints.add(runtime.cluster)
}
