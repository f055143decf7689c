import type { NatsConnection } from '@nats-io/transport-node'
import { ClusterError } from '@troupe/core'
import type { ResolvedClusterOptions } from '@troupe/core/internal'
import type { Topic } from '../util/topic.js'
import type { SystemEvent } from '../system/system-events.js'
import { Membership, type ClusterMember, type MemberState } from './membership.js'
import { NodeControl, type ControlHandlers } from './node-control.js'
import type { RemoteRefInfo } from '../protocol/cluster-wire.js'
import type { SpawnRequest } from '../protocol/control.js'
import type { PlacementMember } from './entity-placement.js'

/** What `system.cluster` shows of the cluster this system is a node of. */
export interface Cluster {
  /** The cluster's name (`cluster.name`). */
  readonly name: string
  /** This node's name (`cluster.node`). */
  readonly node: string
  /** This node's id for this run (the `node` of its actors' addresses). */
  readonly id: number
  /** `'up'` while a member; `'down'` once declared down or cut off from NATS (restart the process to rejoin); `'left'` after shutdown. */
  readonly state: MemberState
  /**
   * The live nodes this node knows of, itself first. Those present when this node joined are
   * here from the start; `node-up` and `node-down` events report the changes after that.
   */
  members(): ClusterMember[]
}

/** A node that shards entities: its worker count (announced to the others), and who hears where entities live. */
export interface ShardingHooks {
  readonly workers: number
  placementChanged(members: PlacementMember[]): void
}

/**
 * This process as a node of a cluster: its NATS connection and its membership. Created by
 * `ActorSystem.start` with the `cluster` option; NATS's client is imported only then. Closed
 * when the system starts shutting down: the node leaves (the others see `node-down`, reason
 * `left the cluster`) and the connection is drained.
 */
export class ClusterNode implements Cluster {
  readonly name: string
  readonly node: string
  readonly id: number
  /** The node's connection, shared by what runs over NATS on the main thread (durable handlers). */
  readonly connection: NatsConnection
  readonly #membership: Membership
  #control: NodeControl | undefined
  /** What runs over this node's connection (durable handlers): closed before the node leaves. */
  readonly #services = new Set<{ close(): Promise<void> }>()
  #closing: Promise<void> | undefined

  private constructor(options: ResolvedClusterOptions, connection: NatsConnection, id: number, events: Topic<SystemEvent>, sharding: ShardingHooks | undefined) {
    this.name = options.name
    this.node = options.node
    this.id = id
    this.connection = connection
    this.#membership = new Membership(connection, options, { node: options.node, id, startedAt: Date.now() }, {
      up: (member) => events.publish({ type: 'node-up', node: member.node, id: member.id }),
      down: (member, reason) => events.publish({ type: 'node-down', node: member.node, id: member.id, reason, self: false }),
      selfDown: (reason) => events.publish({ type: 'node-down', node: options.node, id, reason, self: true }),
      placementChanged: (members) => sharding?.placementChanged(members),
    }, sharding?.workers)
  }

  /** Connects to NATS and joins; rejects with `ClusterError` (and leaves nothing open) when either fails. */
  static async join(options: ResolvedClusterOptions, events: Topic<SystemEvent>, id: number, handlers: ControlHandlers, sharding?: ShardingHooks): Promise<ClusterNode> {
    const { connect } = await import('@nats-io/transport-node')
    let connection: NatsConnection
    try {
      connection = await connect({
        servers: options.servers,
        name: `troupe ${options.name}/${options.node}`,
        timeout: options.connectTimeoutMs,
        // Reconnect for as long as it takes: membership decides, after downAfterMs, that the node is cut off.
        maxReconnectAttempts: -1,
        reconnectTimeWait: Math.min(250, options.heartbeatMs),
      })
    } catch (error) {
      throw new ClusterError(`cannot reach NATS at ${options.servers.join(', ')} within ${options.connectTimeoutMs} ms (cluster.connectTimeoutMs): ${(error as Error).message}`, { cause: error })
    }
    const node = new ClusterNode(options, connection, id, events, sharding)
    try {
      // Answering before announcing: a node that sees this one up can ask it at once.
      node.#control = new NodeControl(connection, options.name, id, handlers)
      await node.#membership.join()
    } catch (error) {
      await connection.close().catch(() => undefined)
      throw error
    }
    return node
  }

  /** The live nodes that shard entities (see EntityPlacement). */
  placement(): PlacementMember[] {
    return this.#membership.placement()
  }

  get state(): MemberState {
    return this.#membership.state
  }

  members(): ClusterMember[] {
    return this.state === 'up' ? this.#membership.members() : []
  }

  /**
   * The actor named `name` on the live node named `node`, as [id, thread, name] (undefined if no
   * actor has that name there), and that node's id. `ClusterError` if no live node has that name.
   */
  async lookup(node: string, name: string, timeoutMs: number): Promise<{ node: number; info: RemoteRefInfo | undefined }> {
    const id = this.#memberId(node)
    return { node: id, info: await this.#control!.request(id, node, ['lookup', name], timeoutMs) }
  }

  /** Spawns a top-level actor on the live node named `node`; its [id, thread, name] and that node's id. */
  async spawn(node: string, request: SpawnRequest, timeoutMs: number): Promise<{ node: number; info: RemoteRefInfo }> {
    const id = this.#memberId(node)
    const info = await this.#control!.request(id, node, ['spawn', request], timeoutMs)
    if (!info) throw new ClusterError(`node ${node} answered a spawn of ${request.export} without an actor`)
    return { node: id, info }
  }

  /** Stops an actor of the live node with id `node` (as `system.stop` there); `ClusterError` if that node is not live. */
  async stop(node: number, id: number, thread: number, timeoutMs: number): Promise<void> {
    const member = this.members().find((m) => m.id === node)
    if (!member) throw new ClusterError(`the node of actor#${id} (id ${node}) is not a live member of cluster ${this.name}`)
    await this.#control!.request(node, member.node, ['stop', id, thread], timeoutMs)
  }

  #memberId(node: string): number {
    const member = this.members().find((m) => m.node === node)
    if (!member) throw new ClusterError(`no live node is named ${node} in cluster ${this.name} (members: ${this.members().map((m) => m.node).join(', ') || 'none, this node is ' + this.state})`)
    return member.id
  }

  /** Adds something that uses this node's connection: `close` closes it first, while NATS is still reachable. */
  addService(service: { close(): Promise<void> }): void {
    this.#services.add(service)
  }

  /** Closes the services (in-flight durable jobs settle), leaves the cluster, and drains the connection. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#services].map((service) => service.close().catch(() => undefined)))
      await this.#membership.leave()
      this.#control?.close()
      await this.connection.drain().catch(() => this.connection.close())
    })()
    return this.#closing
  }
}

export type { ClusterMember, MemberState }

/** Refuses a cluster feature on a system started without `cluster`. */
export function requireCluster(cluster: ClusterNode | undefined, feature: string): ClusterNode {
  if (!cluster) throw new ClusterError(`${feature} needs a cluster: start the system with the cluster option ({ cluster: { servers, node } })`)
  return cluster
}
