import type { Subscription } from '@nats-io/transport-node'
import { decodeValue, encodeValue, type RefRuntime } from '@troupe/core/internal'
import type { TopicBridge } from '../pubsub/topic-directory.js'
import { topicSubject } from '../protocol/cluster-wire.js'
import type { RemotePeers } from './remote-peers.js'

/**
 * Pub/sub topics across the nodes of a cluster, on the main thread of each: a node subscribes
 * to a topic's NATS subject while it has subscribers of that topic (its `TopicDirectory` says
 * when), and publishes there every message published on it. What arrives from another node is
 * fanned out to this node's subscribers as a local publish is. NATS sends each message once to
 * each node that subscribes, so a node costs the others nothing for topics it does not follow.
 *
 * As within a node, delivery is at most once and order holds per publisher (one publishing
 * node's connection, one subject). Refs inside messages keep their node and work where they
 * arrive. A node's own messages come back from NATS and are skipped: its subscribers had them.
 */
export class ClusterTopics implements TopicBridge {
  readonly #peers: RemotePeers
  readonly #cluster: string
  readonly #node: number
  readonly #runtime: RefRuntime
  readonly #deliver: (topic: string, message: unknown) => void
  /** topic → its subscription while this node follows it (undefined while it is being made). */
  readonly #followed = new Map<string, Subscription | undefined>()
  #closed = false

  constructor(peers: RemotePeers, cluster: string, node: number, runtime: RefRuntime, deliver: (topic: string, message: unknown) => void) {
    this.#peers = peers
    this.#cluster = cluster
    this.#node = node
    this.#runtime = runtime
    this.#deliver = deliver
  }

  subscribed(topic: string, on: boolean): void {
    if (this.#closed) return
    if (!on) {
      this.#followed.get(topic)?.unsubscribe()
      this.#followed.delete(topic)
      return
    }
    if (this.#followed.has(topic)) return
    this.#followed.set(topic, undefined)
    void this.#peers.connection().then(
      (connection) => {
        // Still wanted (no unsubscribe came while the connection was coming up)?
        if (this.#closed || !this.#followed.has(topic) || this.#followed.get(topic) !== undefined) return
        this.#followed.set(topic, connection.subscribe(topicSubject(this.#cluster, topic), {
          callback: (error, msg) => {
            if (!error) this.#received(topic, msg.data)
          },
        }))
      },
      () => this.#followed.delete(topic), // no NATS: the node is cut off, and its membership says so
    )
  }

  published(topic: string, message: unknown): void {
    if (!this.#closed) this.#peers.publish(topicSubject(this.#cluster, topic), encodeValue([this.#node, message]))
  }

  #received(topic: string, bytes: Uint8Array): void {
    let decoded: unknown
    try {
      decoded = decodeValue(bytes, this.#runtime)
    } catch {
      return // not troupe's: something else published on the subject
    }
    if (!Array.isArray(decoded) || decoded.length !== 2 || decoded[0] === this.#node) return
    this.#deliver(topic, decoded[1])
  }

  close(): void {
    this.#closed = true
    for (const subscription of this.#followed.values()) subscription?.unsubscribe()
    this.#followed.clear()
  }
}
