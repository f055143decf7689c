import type { ResolvedClusterOptions } from '@troupe/core/internal'
import type { SystemRuntime } from '../system/system-runtime.js'

/**
 * Makes a started system a node of its cluster. The cluster's modules (and NATS's client) are
 * imported only here, so a system without `cluster` loads none of them. If joining fails, the
 * system is shut down and the `ClusterError` is what `ActorSystem.start` rejects with.
 */
export async function joinCluster(runtime: SystemRuntime, options: ResolvedClusterOptions): Promise<void> {
  const { ClusterNode } = await import('./cluster-node.js')
  try {
    runtime.cluster = await ClusterNode.join(options, runtime.events)
  } catch (error) {
    await runtime.shutdown().catch(() => undefined)
    throw error
  }
  // Also closed when the system shuts itself down (the guardian gave up), not only by shutdown().
  runtime.endpoints.add(runtime.cluster)
}
