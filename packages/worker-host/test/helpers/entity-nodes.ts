import { expect } from 'vitest'
import { ActorSystem, type SystemEvent } from '../../src/index.js'
import { NodeProcess } from './node-process.js'
import { afterTest, fixture } from './system.js'

/** A node process of test/programs/entity-node.ts, sharding the entities of cluster-entities.ts. */
export interface EntityNode {
  readonly process: NodeProcess
  readonly id: number
  readonly pid: number
}

export interface EntityNodeTimes {
  readonly heartbeatMs: number
  readonly downAfterMs: number
}

/** Starts a node process; resolves once it is up. `servers`: NATS URLs. */
export async function startEntityNode(servers: readonly string[], node: string, bucket: string, times: EntityNodeTimes, replicas = 1): Promise<EntityNode> {
  const child = new NodeProcess('entity-node.ts', [servers.join(','), node, String(times.heartbeatMs), String(times.downAfterMs), bucket, String(replicas)])
  const ready = await child.next<{ ready: { id: number; pid: number } }>((l) => 'ready' in l || 'error' in l)
  if (!('ready' in ready)) throw new Error(`node ${node} did not start: ${JSON.stringify(ready)}`)
  return { process: child, ...ready.ready }
}

/** This test's own node (named `a`), sharding entities like the node processes; shut down after the test. */
export async function localEntityNode(servers: readonly string[], bucket: string, times: EntityNodeTimes, events: SystemEvent[] = [], replicas = 1): Promise<ActorSystem> {
  const system = await ActorSystem.start({
    workers: 1,
    handlerHangMs: 10_000, // a loaded CI machine is not a hang (see test/helpers/system.ts)
    actors: [fixture('cluster-entities.ts')],
    askTimeoutMs: 10_000,
    persistence: { store: 'nats', servers: [...servers], bucket, replicas },
    cluster: { servers: [...servers], node: 'a', ...times },
  })
  system.events.subscribe((event) => events.push(event))
  afterTest(() => system.shutdown())
  return system
}

export async function waitForMembers(system: ActorSystem, count: number): Promise<void> {
  await expect.poll(() => system.cluster!.members().length, { timeout: 10_000 }).toBe(count)
}
