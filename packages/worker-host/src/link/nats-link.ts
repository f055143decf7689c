import type { SlabRegistration } from '../transport/ledger.js'
import type { Link, LinkListener } from './link.js'

/** Where a NATS link publishes: its thread's connection, which queues until it is connected. */
export interface NatsPublisher {
  publish(subject: string, bytes: Uint8Array): void
  /** The largest message the server takes (its `max_payload`), in bytes. */
  readonly maxPayload: number
}

/**
 * How a NATS message of a link is read, by the last token of its subject (see `RemotePeers`):
 * a whole batch has none; a batch larger than the server's `max_payload` travels in parts, each
 * but the last marked `MORE`; `BYE` (empty) says the sender closed its end.
 */
export type NatsPart = 'whole' | 'more' | 'end' | 'bye'
export const PART_TOKEN: Readonly<Record<Exclude<NatsPart, 'whole'>, string>> = { more: 'm', end: 'e', bye: 'x' }

/** Room left in a NATS message for its headers and protocol line. */
const PAYLOAD_MARGIN = 1024

/**
 * A link to one thread of another node, over NATS: each batch is one NATS message on the peer's
 * subject, or several when it is larger than the server's `max_payload`. NATS keeps the order of
 * one connection's messages to one subscriber, so batches (and their parts) arrive in the order
 * sent. A link between processes shares no memory: a remote peer keeps no ledger (`share` is
 * never called for it), and nothing tells it which messages the peer processed: cross-node
 * messages are at most once (docs/cluster.md). Closing this end tells the peer (`BYE`); a peer
 * whose node dies is reported by membership instead (`gone`).
 */
export class NatsLink implements Link {
  readonly #subject: string
  readonly #publisher: NatsPublisher
  #listener: LinkListener | undefined
  /** What arrived before `open`: handed over, in order, when it opens. */
  #early: Uint8Array[] = []
  /** The parts of a large batch received so far. */
  #parts: Uint8Array[] = []
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
    if (this.#done) listener.peerGone()
  }

  send(bytes: Uint8Array): void {
    if (this.#done) return
    // The batch is the link's now (see Link.send), and goes to the client as it is: the client
    // keeps a reference until its microtask writes it to the socket, and nobody else holds it.
    // Detaching it, as a port does, cost a structured clone per batch: about a tenth of a round
    // trip's time in this thread, on the path of every ask between nodes.
    const limit = Math.max(1, this.#publisher.maxPayload - PAYLOAD_MARGIN)
    if (bytes.byteLength <= limit) {
      this.#publisher.publish(this.#subject, bytes)
      return
    }
    for (let at = 0; at < bytes.byteLength; at += limit) {
      const last = at + limit >= bytes.byteLength
      this.#publisher.publish(`${this.#subject}.${last ? PART_TOKEN.end : PART_TOKEN.more}`, bytes.subarray(at, at + limit))
    }
  }

  share(_registration: SlabRegistration): void {
    // Never called: only links with an outbound ledger share slabs, and a remote peer has none.
  }

  close(): void {
    if (this.#done) return
    this.#done = true
    this.#publisher.publish(`${this.#subject}.${PART_TOKEN.bye}`, new Uint8Array(0))
  }

  /** A message from the peer (the thread's subscription found this link by the subject). */
  received(bytes: Uint8Array, part: NatsPart): void {
    if (this.#done) return
    if (part === 'bye') return this.gone()
    if (part === 'more') {
      this.#parts.push(bytes)
      return
    }
    let batch = bytes
    if (part === 'end') {
      this.#parts.push(bytes)
      batch = join(this.#parts)
      this.#parts = []
    }
    if (this.#listener) this.#listener.batch(batch)
    else this.#early.push(batch)
  }

  /** The peer is gone (it closed its end, or its node is down): nothing more comes from it. */
  gone(): void {
    if (this.#done) return
    this.#done = true
    this.#parts = []
    this.#listener?.peerGone()
  }
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0))
  let at = 0
  for (const part of parts) {
    whole.set(part, at)
    at += part.byteLength
  }
  return whole
}
