import { InvalidOptionError, SpawnTimeoutError, type ActorRef } from '@troupe/core'
import { ActorRefImpl } from '@troupe/core/internal'
import { buildSpawnRequest, type SpawnInput } from '../host/spawn-request.js'
import { withDeadline } from '../util/deadline.js'
import type { SystemRuntime } from '../system/system-runtime.js'
import { requireCluster } from './cluster-node.js'

/** True for `{ node: … }` placements, which `system.spawn` sends to that node. */
export function isNodePlacement(options: unknown): options is SpawnInput & { placement: { node: unknown } } {
  const placement = (options as { placement?: unknown } | undefined)?.placement
  return typeof placement === 'object' && placement !== null && 'node' in placement
}

/**
 * `system.spawn(Type, { placement: { node: 'b' } })`: the request is built here (the class found
 * among this node's allow-listed modules, the arguments encoded), and node b spawns it as a
 * top-level actor of its own, placed and supervised there; its allow-list decides whether the
 * module may run. Nodes name modules by URL, so they must run the same code at the same paths.
 */
export async function spawnOnNode<A>(runtime: SystemRuntime, type: unknown, options: SpawnInput & { placement: { node: unknown } }): Promise<ActorRef<A>> {
  const node = options.placement.node
  if (typeof node !== 'string' || node.length === 0) throw new InvalidOptionError('placement.node', "a node's name", node)
  const cluster = requireCluster(runtime.cluster, 'spawn on another node')
  const { workers, maxMessageBytes, spawnTimeoutMs, askTimeoutMs } = runtime.options
  const local = { ...options, placement: undefined }
  const request = await withDeadline(buildSpawnRequest(runtime.mainHost.registry, type, local, workers, maxMessageBytes), spawnTimeoutMs, () =>
    new SpawnTimeoutError('(the allow-listed modules)', typeof type === 'function' ? type.name : String((type as { export?: unknown }).export), spawnTimeoutMs),
  )
  const { node: id, info } = await cluster.spawn(node, request, spawnTimeoutMs + askTimeoutMs)
  const [actor, thread, name] = info
  return new ActorRefImpl<A>(actor, thread, name ?? undefined, runtime.mainHost, undefined, 0, id)
}
