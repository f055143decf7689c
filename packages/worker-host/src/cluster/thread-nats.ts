import type { NatsConnection, Subscription } from '@nats-io/transport-node'

/** What a thread of a node needs to reach the other nodes (handed to workers in their init). */
export interface ClusterTransport {
  readonly servers: readonly string[]
  /** The cluster's name (subjects start `troupe.<name>.`). */
  readonly name: string
  /** This node's id for this run. */
  readonly node: number
  readonly connectTimeoutMs: number
  /** This node's name (`cluster.node`). */
  readonly nodeName: string
  /** Set when entities are sharded over the cluster: the NATS store's bucket prefix and replicas, which its leases share. */
  readonly sharding?: { readonly bucket: string; readonly replicas: number }
}

/** Most batches a thread queues while its connection is not up yet; past it the oldest are dropped (at most once). */
const MAX_QUEUED = 10_000

/**
 * One thread's own NATS connection, for the batches of its links to other nodes: every thread
 * (main and each worker) publishes and subscribes on its own, so no thread relays another's
 * traffic. Publishes made before the connection is up wait, in order, then go.
 */
export class ThreadNats {
  #connection: NatsConnection | undefined
  #queued: [string, Uint8Array][] = []
  #subscription: Subscription | undefined
  #closed = false
  /** The server's `max_payload` once connected (NATS's default until then). */
  maxPayload = 1024 * 1024
  /** Resolves once connected and subscribed (rejects if NATS cannot be reached in time). */
  readonly ready: Promise<void>

  constructor(transport: ClusterTransport, inbox: string, received: (subject: string, bytes: Uint8Array) => void, thread: number) {
    this.ready = (async () => {
      const { connect } = await import('@nats-io/transport-node')
      const connection = await connect({
        servers: [...transport.servers],
        name: `troupe ${transport.name} node ${transport.node} thread ${thread}`,
        timeout: transport.connectTimeoutMs,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
      })
      if (this.#closed) {
        await connection.close()
        return
      }
      this.maxPayload = connection.info?.max_payload ?? this.maxPayload
      this.#subscription = connection.subscribe(inbox, {
        callback: (error, msg) => {
          // The link hands the batch on as the thread's own (see LinkListener.batch): it is copied
          // out of the client's buffers (whose memory the client goes on using), so nothing done
          // with it, a transfer included, reaches them.
          // (`new Uint8Array(view)` copies; a Buffer's `slice` would not.)
          if (!error) received(msg.subject, new Uint8Array(msg.data))
        },
      })
      await connection.flush()
      // What waited goes first, in order; only then do publishes go straight to the connection.
      const queued = this.#queued
      this.#queued = []
      for (const [subject, bytes] of queued) publishQuietly(connection, subject, bytes)
      // Closed meanwhile: `close` found no connection to close, so it is closed here.
      if (this.#closed) await connection.drain().catch(() => connection.close())
      else this.#connection = connection
    })()
    // Reported by whoever awaits `ready`; unobserved, a failure to connect must not crash the thread.
    this.ready.catch(() => undefined)
  }

  /** The connection once it is up (for what else the thread does over NATS: entity leases). */
  async connection(): Promise<NatsConnection> {
    await this.ready
    if (this.#connection === undefined) throw new Error('this thread has left the cluster: its NATS connection is closed')
    return this.#connection
  }

  publish(subject: string, bytes: Uint8Array): void {
    if (this.#closed) return
    const connection = this.#connection
    if (connection === undefined) {
      if (this.#queued.length >= MAX_QUEUED) this.#queued.shift()
      this.#queued.push([subject, bytes])
      return
    }
    publishQuietly(connection, subject, bytes)
  }

  /** Sends what was published and closes the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#queued = []
    this.#subscription?.unsubscribe()
    const connection = this.#connection
    if (connection) await connection.drain().catch(() => connection.close())
  }
}

function publishQuietly(connection: NatsConnection, subject: string, bytes: Uint8Array): void {
  try {
    connection.publish(subject, bytes)
  } catch {
    // Closed or draining: the batch is lost, as a batch to a node that went away is.
  }
}
