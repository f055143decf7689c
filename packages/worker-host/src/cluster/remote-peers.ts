import { NodeDownError } from '@troupe/core'
import { NatsLink, PART_TOKEN, type NatsPart } from '../link/nats-link.js'
import { ThreadNats, type ClusterTransport } from './thread-nats.js'
import { REMOTE_BASE } from '../transport/remote-key.js'

/** The subject a thread of a node receives batches on, from one sender thread of another node. */
function dataSubject(cluster: string, node: number, thread: number, fromNode: number, fromThread: number): string {
  return `troupe.${cluster}.d.${node}.${thread}.${fromNode}.${fromThread}`
}

export interface RemoteAddress {
  readonly node: number
  readonly thread: number
}

/**
 * One thread's view of the threads of other nodes: the number each has in this thread's link
 * table (`key`), the NATS link to it, and the thread's own connection. A batch to node N's thread
 * t goes to `troupe.<cluster>.d.<N>.<t>.<this node>.<this thread>` (with a last token for the
 * parts of a large batch and for goodbye, see NatsLink); this thread subscribes to
 * `troupe.<cluster>.d.<this node>.<this thread>.>`, so the subject says who sent a batch.
 */
export class RemotePeers {
  readonly #transport: ClusterTransport
  readonly #thread: number
  readonly #nats: ThreadNats
  /** node → thread → key. */
  readonly #keys = new Map<number, Map<number, number>>()
  /** key - REMOTE_BASE → address (kept after its node is down: refs built from it still name it). */
  readonly #addresses: RemoteAddress[] = []
  readonly #links = new Map<number, NatsLink>()
  /** Nodes declared down, with their name and why: never reached again (their ids are not reused). */
  readonly #down = new Map<number, { name: string; reason: string }>()
  /** Makes sure the link table has a link for `key` (it asks `link(key)` for its transport when it creates one). */
  readonly #ensure: (key: number) => void

  constructor(transport: ClusterTransport, thread: number, ensure: (key: number) => void) {
    this.#transport = transport
    this.#thread = thread
    this.#ensure = ensure
    const inbox = `troupe.${transport.name}.d.${transport.node}.${thread}.>`
    this.#nats = new ThreadNats(transport, inbox, (subject, bytes) => this.#received(subject, bytes), thread)
  }

  /** Resolves once this thread can receive from other nodes. */
  get ready(): Promise<void> {
    return this.#nats.ready
  }

  /** Publishes on the thread's connection (in order, queued until it is up). */
  publish(subject: string, bytes: Uint8Array): void {
    this.#nats.publish(subject, bytes)
  }

  /** The thread's NATS connection, once up. */
  connection(): ReturnType<ThreadNats['connection']> {
    return this.#nats.connection()
  }

  /** The link-table number of thread `thread` of node `node`; undefined if that node is down. */
  key(node: number, thread: number): number | undefined {
    if (this.#down.has(node)) return undefined
    let threads = this.#keys.get(node)
    if (threads === undefined) this.#keys.set(node, (threads = new Map()))
    let key = threads.get(thread)
    if (key === undefined) {
      key = REMOTE_BASE + this.#addresses.length
      this.#addresses.push({ node, thread })
      threads.set(thread, key)
    }
    return key
  }

  address(key: number): RemoteAddress | undefined {
    return this.#addresses[key - REMOTE_BASE]
  }

  /** The transport for `key`'s link (called by the link table when it creates that link). */
  link(key: number): NatsLink {
    const address = this.address(key)!
    const subject = dataSubject(this.#transport.name, address.node, address.thread, this.#transport.node, this.#thread)
    const link = new NatsLink(subject, this.#nats)
    this.#links.set(key, link)
    return link
  }

  /** Why a message to node `node` cannot go: it is down (undefined if it is not known to be). */
  downError(node: number): NodeDownError | undefined {
    const down = this.#down.get(node)
    return down && new NodeDownError(down.name, down.reason)
  }

  /** Node `node` is down: its links end, and the keys of its threads are returned (their asks fail). */
  nodeDown(node: number, name: string, reason: string): number[] {
    this.#down.set(node, { name, reason })
    const keys = [...(this.#keys.get(node)?.values() ?? [])]
    this.#keys.delete(node)
    for (const key of keys) {
      this.#links.get(key)?.gone()
      this.#links.delete(key)
    }
    return keys
  }

  close(): Promise<void> {
    for (const link of this.#links.values()) link.close()
    return this.#nats.close()
  }

  #received(subject: string, bytes: Uint8Array): void {
    // troupe.<cluster>.d.<node>.<thread>.<from node>.<from thread>[.<part>] (see NatsLink)
    const tokens = subject.split('.')
    const fromNode = Number(tokens[5])
    const fromThread = Number(tokens[6])
    const part = partOf(tokens[7])
    if (part === undefined) return // not troupe's
    const key = this.key(fromNode, fromThread)
    if (key === undefined) return // from a node declared down: it is not heard any more
    if (!this.#links.has(key)) {
      if (part === 'bye') return // a peer that never spoke says goodbye: nothing to close
      this.#ensure(key)
    }
    this.#links.get(key)?.received(bytes, part)
  }
}

/** The part a subject's last token names (see NatsLink); undefined for a token troupe never sends. */
function partOf(token: string | undefined): NatsPart | undefined {
  if (token === undefined) return 'whole'
  if (token === PART_TOKEN.more) return 'more'
  if (token === PART_TOKEN.end) return 'end'
  if (token === PART_TOKEN.bye) return 'bye'
  return undefined
}
