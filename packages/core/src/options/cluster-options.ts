import { InvalidOptionError } from '../errors/errors.js'
import { checkKnownOptions } from './known-options.js'

/**
 * Joins this system to a cluster of troupe nodes over NATS (see docs/cluster.md). A node is one
 * process (its main thread and workers). Nodes find each other through NATS; without this
 * option nothing about NATS is loaded.
 */
export interface ClusterOptions {
  /** The NATS server(s) to connect to, e.g. `'nats://127.0.0.1:4222'`. */
  readonly servers: string | readonly string[]
  /** This node's name, unique among the live nodes of the cluster: 1–64 of `A–Z a–z 0–9 _ -`. */
  readonly node: string
  /** The cluster's name: nodes of different clusters on one NATS server never see each other. Default `'troupe'`. Same characters as `node`. */
  readonly name?: string
  /** How often this node announces that it is alive, in ms. Default 500. */
  readonly heartbeatMs?: number
  /**
   * A node not heard from for this long is declared down (`node-down`), in ms; also how long this
   * node tolerates losing NATS before it declares itself cut off. Default 3000; at least 3 × `heartbeatMs`.
   */
  readonly downAfterMs?: number
  /** How long `ActorSystem.start` waits to reach NATS, in ms. Default 10 000. */
  readonly connectTimeoutMs?: number
  /**
   * Where entities live. `'sharded'`: each key is placed on one live node by rendezvous hashing
   * over the nodes that shard entities, with one activation per key in the whole cluster (a
   * lease in NATS KV), moved to the other nodes when its node leaves or dies, and handed over
   * when a node joins. It needs a store every node shares: `persistence: { store: 'nats' }`.
   * `'local'`: each node activates the entities its own refs address, on its own threads, from
   * its own store. Default: `'sharded'` with the NATS store, else `'local'`.
   */
  readonly entities?: 'sharded' | 'local'
}

export interface ResolvedClusterOptions {
  servers: string[]
  node: string
  name: string
  heartbeatMs: number
  downAfterMs: number
  connectTimeoutMs: number
  entities: 'sharded' | 'local'
}

/** Node and cluster names become parts of NATS subjects and KV keys: a safe, short alphabet. */
export const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,64}$/

const MAX_MS = 2 ** 31 - 1

function ms(option: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_MS) return value
  throw new InvalidOptionError(option, `an integer of ms from ${min} to ${MAX_MS}`, value)
}

function serverList(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0) throw new InvalidOptionError('cluster.servers', "a NATS URL such as 'nats://127.0.0.1:4222', or a non-empty array of them", value)
  return list.map((url: unknown, i) => {
    if (typeof url !== 'string' || !/^(nats|tls|wss?):\/\/[^\s]+$|^[^\s:/]+:\d+$/.test(url)) {
      throw new InvalidOptionError(Array.isArray(value) ? `cluster.servers[${i}]` : 'cluster.servers', "a NATS URL such as 'nats://127.0.0.1:4222'", url)
    }
    return url
  })
}

/**
 * `sharedStore`: whether the system's persistence is a store every node reaches (the NATS store),
 * which sharded entities need: their state moves with them from node to node.
 */
export function resolveClusterOptions(value: unknown, sharedStore = false): ResolvedClusterOptions | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('cluster', "an object such as { servers: 'nats://127.0.0.1:4222', node: 'a' }", value)
  checkKnownOptions(value, ['servers', 'node', 'name', 'heartbeatMs', 'downAfterMs', 'connectTimeoutMs', 'entities'], 'cluster.')
  const options = value as ClusterOptions
  const servers = serverList(options.servers)
  if (typeof options.node !== 'string' || !CLUSTER_NAME.test(options.node)) throw new InvalidOptionError('cluster.node', '1 to 64 characters of A-Z a-z 0-9 _ -', options.node)
  const name = options.name ?? 'troupe'
  if (typeof name !== 'string' || !CLUSTER_NAME.test(name)) throw new InvalidOptionError('cluster.name', '1 to 64 characters of A-Z a-z 0-9 _ -', name)
  const heartbeatMs = ms('cluster.heartbeatMs', options.heartbeatMs, 500, 10)
  const downAfterMs = ms('cluster.downAfterMs', options.downAfterMs, Math.max(3000, 3 * heartbeatMs), 3 * heartbeatMs)
  const connectTimeoutMs = ms('cluster.connectTimeoutMs', options.connectTimeoutMs, 10_000, 1)
  const entities = options.entities ?? (sharedStore ? 'sharded' : 'local')
  if (entities !== 'sharded' && entities !== 'local') throw new InvalidOptionError('cluster.entities', "'sharded' or 'local'", entities)
  if (entities === 'sharded' && !sharedStore) {
    throw new InvalidOptionError('cluster.entities', "'local' unless the system's persistence is a store every node shares ({ store: 'nats', servers }): a sharded entity's state moves between nodes", entities)
  }
  return { servers, node: options.node, name, heartbeatMs, downAfterMs, connectTimeoutMs, entities }
}
