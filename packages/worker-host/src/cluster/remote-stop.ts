import type { ActorRefImpl } from '@troupe/core/internal'
import type { SystemRuntime } from '../system/system-runtime.js'
import { requireCluster } from './cluster-node.js'

/**
 * `system.stop(ref)` of an actor of another node: asked of that node, which stops it as its own
 * `system.stop` would (children first, mailbox drained), within its stop deadline plus an ask's.
 */
export async function stopOnNode(runtime: SystemRuntime, ref: ActorRefImpl): Promise<void> {
  const cluster = requireCluster(runtime.cluster, 'stop of an actor of another node')
  const { stopTimeoutMs, askTimeoutMs } = runtime.options
  await cluster.stop(ref.node, ref.id, ref.home, stopTimeoutMs + askTimeoutMs)
}
