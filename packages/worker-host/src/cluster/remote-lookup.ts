import { InvalidOptionError, type ActorRef } from '@troupe/core'
import type { SystemRuntime } from '../system/system-runtime.js'
import { requireCluster } from './cluster-node.js'

/** Where a named actor of a node lives: its node's id, its thread and id there. */
export interface RemoteRefInfo {
  readonly node: number
  readonly thread: number
  readonly id: number
  readonly name: string | undefined
}

/**
 * The actor registered under `name` on the node named `node`, asked of that node over NATS
 * (within `askTimeoutMs`) by the main thread, for `system.lookup` and `ctx.lookup` with `{ node }`
 * alike. This node's own name looks here. `ClusterError` without a cluster, or if no live node
 * has that name.
 */
export async function findOnNode(runtime: SystemRuntime, name: string, node: string): Promise<RemoteRefInfo | undefined> {
  const cluster = requireCluster(runtime.cluster, 'lookup on another node')
  if (node === cluster.node) {
    const info = await runtime.lookup(name)
    return info && { node: cluster.id, thread: info.thread, id: info.id, name: info.name }
  }
  const { node: id, info } = await cluster.lookup(node, name, runtime.options.askTimeoutMs)
  return info && { node: id, id: info[0], thread: info[1], name: info[2] ?? undefined }
}

/**
 * `system.lookup(name, { node })`: a ref usable from the main thread and passed on in messages,
 * to any node.
 */
export async function lookupOnNode<A>(runtime: SystemRuntime, name: string, node: unknown): Promise<ActorRef<A> | undefined> {
  if (typeof node !== 'string') throw new InvalidOptionError('node', "a node's name", node)
  return runtime.mainHost.lifecycle.lookup<A>(name, node)
}
