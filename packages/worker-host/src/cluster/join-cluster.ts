import { randomInt } from 'node:crypto'
import type { ResolvedClusterOptions, ResolvedPersistence } from '@troupe/core/internal'
import type { SystemRuntime } from '../system/system-runtime.js'
import type { ClusterTransport } from './thread-nats.js'
import type { PlacementMember } from './entity-placement.js'
import type { SpawnRequest } from '../protocol/control.js'

/**
 * What every thread of a new node needs to reach the others, with the node's id for this run:
 * drawn, not agreed (a collision, 1 in 2^31 per pair of live nodes, is detected when joining).
 */
export function clusterTransport(options: ResolvedClusterOptions, persistence: ResolvedPersistence | undefined): ClusterTransport {
  const sharding = options.entities === 'sharded' && persistence?.store === 'nats' ? { bucket: persistence.bucket, replicas: persistence.replicas } : undefined
  return { servers: options.servers, name: options.name, node: randomInt(1, 2 ** 31 - 1), connectTimeoutMs: options.connectTimeoutMs, nodeName: options.node, ...(sharding ? { sharding } : {}) }
}

/**
 * Makes a started system a node of its cluster, once each of its threads can receive from other
 * nodes. The cluster's modules (and NATS's client) are imported only here, so a system without
 * `cluster` loads none of them. If joining fails, the system is shut down and the `ClusterError`
 * is what `ActorSystem.start` rejects with. Afterwards, a node declared down is reported to every
 * thread (its links close, the asks waiting on it fail with `NodeDownError`).
 */
export async function joinCluster(runtime: SystemRuntime, options: ResolvedClusterOptions, transport: ClusterTransport): Promise<void> {
  const { ClusterNode } = await import('./cluster-node.js')
  // Where sharded entities live, told to every thread; the first telling is awaited below, so
  // that every thread knows it before the system is handed to its user.
  let told: Promise<unknown> = Promise.resolve()
  const tellPlacement = (members: PlacementMember[]): void => {
    runtime.mainHost.cluster?.placementChanged(members)
    told = Promise.all(runtime.workers.map((worker) => worker.call((control) => control.placement(members)).catch(() => undefined)))
  }
  const sharding = transport.sharding && { workers: runtime.options.workers, placementChanged: tellPlacement }
  try {
    await Promise.all([runtime.mainHost.cluster?.ready, ...runtime.workers.map((worker) => worker.call((control) => control.clusterReady()))])
    const handlers = { lookup: (name: string) => runtime.lookup(name), spawn: (request: SpawnRequest) => runtime.spawn(0, request), stop: (actor: number, thread: number) => runtime.stop(actor, false, thread) }
    runtime.cluster = await ClusterNode.join(options, runtime.events, transport.node, handlers, sharding)
    await told
  } catch (error) {
    await runtime.shutdown().catch(() => undefined)
    const { ClusterError } = await import('@troupe/core')
    throw error instanceof ClusterError ? error : new ClusterError(`cannot join cluster ${options.name}: a thread could not reach NATS at ${options.servers.join(', ')} within ${options.connectTimeoutMs} ms (cluster.connectTimeoutMs): ${(error as Error).message}`, { cause: error })
  }
  runtime.events.subscribe((event) => {
    // A replacement worker starts knowing no node: it is told where entities live now.
    if (event.type === 'worker-replaced' && sharding) {
      const members = runtime.cluster!.placement()
      void runtime.workers[event.thread - 1]?.call((control) => control.placement(members)).catch(() => undefined)
    }
    if (event.type !== 'node-down' || event.self) return
    runtime.mainHost.cluster?.nodeDown(event.id, event.node, event.reason)
    for (const worker of runtime.workers) void worker.call((control) => control.nodeDown(event.id, event.node, event.reason)).catch(() => undefined)
  })
  // Also closed when the system shuts itself down (the guardian gave up), not only by shutdown().
  runtime.endpoints.add(runtime.cluster)
}
