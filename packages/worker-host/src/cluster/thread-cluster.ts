import type { ActorRefImpl, RefRuntime, Selector } from '@troupe/core/internal'
import { NodeDownError } from '@troupe/core'
import type { Link } from '../link/link.js'
import type { LinkTable } from '../transport/link-table.js'
import type { PendingAsks } from '../host/pending-asks.js'
import { RemotePeers } from './remote-peers.js'
import { RemoteWatches } from './remote-watches.js'
import type { ClusterTransport } from './thread-nats.js'
import { EntityPlacement, type PlacementMember } from './entity-placement.js'
import { EntityLeases } from './entity-leases.js'
import { ClusterTopics } from './cluster-topics.js'
import type { TopicDirectory } from '../pubsub/topic-directory.js'

/** Bound of each call to the lease bucket, in ms. */
const LEASE_TIMEOUT_MS = 5000

/** What a thread's part of the cluster needs from its host. */
export interface ThreadClusterHost {
  readonly thread: number
  /** The thread's asks: those waiting on a node that is down fail. */
  readonly asks: Pick<PendingAsks, 'failThreads'>
  /** A ref, usable from this thread, to actor `id` on `thread` of node `node` (undefined: this node). */
  refAt(id: number, thread: number, name: string | undefined, node: number | undefined): ActorRefImpl
  ask(ref: ActorRefImpl, selector: Selector, body: unknown, options: undefined): Promise<unknown>
  tell(ref: ActorRefImpl, selector: Selector, body: unknown): void
  /** Where sharded entities live changed: those here that belong elsewhere now are handed over. */
  placementChanged(): void
}

/** The thread's links: one is made for a remote peer that sends first, and dropped when its node is down. */
type ClusterLinks = Pick<LinkTable, 'get' | 'drop'>

/**
 * One thread's part of a cluster node: its links to the threads of other nodes (`RemotePeers`)
 * and its watches of their actors (`RemoteWatches`). The host asks it where a ref of another node
 * goes and tells it when a node is down; everything else about nodes stays here.
 */
export class ThreadCluster {
  readonly #host: ThreadClusterHost
  readonly #links: ClusterLinks
  readonly #transport: ClusterTransport
  #topics: ClusterTopics | undefined
  readonly peers: RemotePeers
  readonly watches: RemoteWatches
  /** Where sharded entities live, and their leases: set when the cluster shards entities. */
  readonly sharding: { readonly placement: EntityPlacement; readonly leases: EntityLeases } | undefined

  constructor(transport: ClusterTransport, host: ThreadClusterHost, links: ClusterLinks) {
    this.#host = host
    this.#links = links
    this.#transport = transport
    this.peers = new RemotePeers(transport, host.thread, (key) => void links.get(key))
    this.watches = new RemoteWatches({
      thread: host.thread,
      refAt: (id, thread, name, node) => host.refAt(id, thread, name, node),
      refTo: (id, thread) => host.refAt(id, thread, undefined, undefined),
      ask: (ref, selector, body) => host.ask(ref, selector, body, undefined),
      tell: (ref, selector, body) => host.tell(ref, selector, body),
    })
    if (transport.sharding) {
      const placement = new EntityPlacement()
      const leases = new EntityLeases({
        connection: () => this.peers.connection(),
        bucket: transport.sharding.bucket,
        replicas: transport.sharding.replicas,
        self: { id: transport.node, node: transport.nodeName },
        isLive: (id) => placement.isLive(id),
        timeoutMs: LEASE_TIMEOUT_MS,
      })
      this.sharding = { placement, leases }
    }
  }

  /** The nodes that shard entities changed (membership, on main, announced it to every thread). */
  placementChanged(members: readonly PlacementMember[]): void {
    if (!this.sharding) return
    this.sharding.placement.update(members)
    this.#host.placementChanged()
  }

  /** Resolves once this thread can receive from other nodes. */
  get ready(): Promise<void> {
    return this.peers.ready
  }

  /** The transport of the link to a remote peer (see LinkTable). */
  link(key: number): Link {
    return this.peers.link(key)
  }

  /** Where the sender of a message from another node lives (`key`: its link's number). */
  senderAddress(key: number): { node: number; thread: number } {
    return this.peers.address(key)!
  }

  /** Node `node` (named `name`) is down: its links close, the asks waiting on them fail, what was watched there terminates. */
  nodeDown(node: number, name: string, reason: string): void {
    const keys = new Set(this.peers.nodeDown(node, name, reason))
    for (const key of keys) this.#links.drop(key)
    this.#host.asks.failThreads(keys, () => new NodeDownError(name, reason))
    this.watches.nodeDown(node)
  }

  /** Main thread: the node's topics span the cluster (see ClusterTopics). */
  bridgeTopics(directory: TopicDirectory, runtime: RefRuntime): void {
    this.#topics = new ClusterTopics(this.peers, this.#transport.name, this.#transport.node, runtime, (topic, message) => directory.deliver(topic, message))
    directory.bridge = this.#topics
  }

  close(): Promise<void> {
    this.#topics?.close()
    return this.peers.close()
  }
}
