import { InvalidOptionError, type ActorRef } from '@troupe/core'
import { ActorRefImpl } from '@troupe/core/internal'
import type { SystemRuntime } from '../system/system-runtime.js'
import { requireCluster } from './cluster-node.js'

/**
 * `system.lookup(name, { node })`: the actor registered under `name` on the node named `node`,
 * asked of that node over NATS (within `askTimeoutMs`). The ref is usable from any thread of this
 * node and can be passed on in messages, to any node.
 */
export async function lookupOnNode<A>(runtime: SystemRuntime, name: string, node: unknown): Promise<ActorRef<A> | undefined> {
  if (typeof node !== 'string') throw new InvalidOptionError('node', "a node's name", node)
  const cluster = requireCluster(runtime.cluster, 'lookup on another node')
  if (node === cluster.node) return runtime.mainHost.lifecycle.lookup<A>(name)
  const { node: id, info } = await cluster.lookup(node, name, runtime.options.askTimeoutMs)
  if (!info) return undefined
  const [actor, thread, registered] = info
  return new ActorRefImpl<A>(actor, thread, registered ?? undefined, runtime.mainHost, undefined, 0, id)
}
