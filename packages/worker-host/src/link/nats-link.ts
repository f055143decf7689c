import type { SlabRegistration } from '../transport/ledger.js'
import type { Link, LinkListener } from './link.js'

/** Where a NATS link publishes: its thread's connection, which queues until it is connected. */
export interface NatsPublisher {
  publish(subject: string, bytes: Uint8Array): void
}

/**
 * A link to one thread of another node, over NATS: each batch is one NATS message on the peer's
 * subject (see `RemotePeers` for the subjects). NATS keeps the order of one connection's messages
 * to one subscriber, so batches arrive in the order sent. A link between processes shares no
 * memory: a remote peer keeps no ledger (`share` is never called for it), and nothing tells it
 * which messages the peer processed; cross-node messages are at most once (docs/cluster.md).
 */
export class NatsLink implements Link {
  readonly #subject: string
  readonly #publisher: NatsPublisher
  #listener: LinkListener | undefined
  /** What arrived before `open`: handed over, in order, when it opens. */
  #early: Uint8Array[] = []
  #done = false

  constructor(subject: string, publisher: NatsPublisher) {
    this.#subject = subject
    this.#publisher = publisher
  }

  open(listener: LinkListener): void {
    this.#listener = listener
    const early = this.#early
    this.#early = []
    for (const bytes of early) listener.batch(bytes)
  }

  send(bytes: Uint8Array): void {
    if (!this.#done) this.#publisher.publish(this.#subject, bytes)
  }

  share(_registration: SlabRegistration): void {
    // Never called: only links with an outbound ledger share slabs, and a remote peer has none.
  }

  close(): void {
    this.#done = true
  }

  /** A batch from the peer (the thread's subscription found this link by the subject). */
  received(bytes: Uint8Array): void {
    if (this.#done) return
    if (this.#listener) this.#listener.batch(bytes)
    else this.#early.push(bytes)
  }

  /** The peer's node is down: nothing more comes from it. */
  gone(): void {
    if (this.#done) return
    this.#done = true
    this.#listener?.peerGone()
  }
}
