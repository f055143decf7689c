import type { DeadLetterReason } from '@troupe/core'
import { Deque } from '@troupe/core/internal'
import { RetainedBytes } from './retained-bytes.js'

/**
 * Accounted delivery (see the `Ledger` frame in the wire protocol): one byte of shared memory per
 * message sent to a worker, written by the receiver when the message reaches its end. Shared
 * memory outlives the thread that writes it, so when a worker dies its senders read exactly
 * which of their messages it never processed: no acknowledgement can be lost in flight.
 *
 * Byte values: 0 not settled yet; 1 settled (processed, answered, forwarded, or reported); 2 and
 * up: refused by the receiver as a dead letter with reason `REASONS[code - 2]`, which the sender
 * reports and then sets to 1; `RUNNING` while the synchronous part of its handler runs.
 */
export const UNSETTLED = 0
export const SETTLED_BYTE = 1
/**
 * The worker died inside this message's handler (before it returned or awaited): the message
 * may be what killed it (a poison message, an endless loop), so it is never delivered again,
 * whatever the actor's delivery guarantee; it becomes a `worker-died` dead letter.
 */
export const RUNNING = 255
const REASONS: readonly DeadLetterReason[] = ['stopped', 'not-found', 'unknown-message', 'encode-failed', 'shutdown', 'mailbox-full', 'no-routee', 'routing-failed', 'worker-died', 'start-failed', 'node-down']

export function reasonCode(reason: DeadLetterReason): number {
  return 2 + REASONS.indexOf(reason)
}

export function reasonOf(code: number): DeadLetterReason {
  return REASONS[code - 2] ?? 'not-found'
}

/** Bytes per slab: one slab holds the ledger of several batches (a batch holds 5000 messages at most). */
const SLAB_BYTES = 16 * 1024

/** A block of shared memory the sender hands out, batch by batch, and recycles once all is settled. */
export interface Slab {
  readonly id: number
  readonly bytes: Uint8Array
  /** Bytes handed out so far. */
  used: number
  /** Batches in it not yet fully settled. */
  live: number
  /** Whether the current peer has been sent this slab (again after the peer was replaced). */
  registered: boolean
  /** Its batches still held, in offset order (for `Settled` look-ups). */
  readonly batches: SentBatch[]
}

/** A batch as its sender keeps it until every message in it is settled. */
export interface SentBatch {
  readonly slab: Slab
  readonly offset: number
  /** Delivery frames in it. */
  readonly count: number
  /**
   * The batch as it was posted, encoded (the `Ledger` frame first). Kept as one byte array, not
   * as its frames: thousands of retained message objects would survive young-generation garbage
   * collections and cost more than a copy of the bytes. Decoded only if the peer dies or refuses.
   */
  readonly bytes: Uint8Array
  /** Bytes from `offset` already seen settled. */
  scanned: number
}

/**
 * The sending side of one link's ledger: hands out ledger regions for batches, keeps the batches
 * until settled, recycles the memory. Links to the main thread have none: the main thread does
 * not die on its own, so nothing sent to it needs accounting.
 */
export class OutboundLedger {
  readonly #slabs: (Slab | undefined)[] = []
  readonly #free: Slab[] = []
  #current: Slab | undefined
  readonly #held = new Deque<SentBatch>(16)
  readonly #retained = new RetainedBytes()

  /** A region of `count` bytes for the next batch; `fresh` when its slab must be sent to the peer first. */
  reserve(count: number): Slab {
    let slab = this.#current
    if (slab === undefined || slab.used + count > slab.bytes.length) {
      if (slab !== undefined && slab.live === 0) this.#recycle(slab)
      slab = count > SLAB_BYTES ? this.#allocate(count) : (this.#free.pop() ?? this.#allocate(SLAB_BYTES))
      this.#current = slab
    }
    return slab
  }

  /** The batch is being posted (`bytes` is about to be transferred): keep a copy until it is settled. */
  hold(slab: Slab, count: number, bytes: Uint8Array): void {
    const batch: SentBatch = { slab, offset: slab.used, count, bytes: this.#retained.keep(bytes), scanned: 0 }
    slab.used += count
    slab.live++
    slab.batches.push(batch)
    this.#held.push(batch)
  }

  /** Batches still held (not every message settled). */
  get held(): number {
    return this.#held.length
  }

  /**
   * Releases the batches at the front whose messages are all settled. Stops at the first one
   * that is not, so each byte is looked at about once; batches behind a slow one wait for it.
   */
  reclaim(): void {
    for (;;) {
      const batch = this.#held.peek()
      if (batch === undefined) return
      const { bytes } = batch.slab
      const end = batch.offset + batch.count
      let at = batch.offset + batch.scanned
      while (at < end && bytes[at] === SETTLED_BYTE) at++
      batch.scanned = at - batch.offset
      if (at < end) return
      this.#held.shift()
      this.#release(batch)
    }
  }

  /** The held batch whose region holds `slot` of slab `id`, with the index of the message in it. */
  find(id: number, slot: number): { batch: SentBatch; index: number } | undefined {
    const slab = this.#slabs[id]
    if (slab === undefined) return undefined
    const batches = slab.batches
    let low = 0
    let high = batches.length - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      const batch = batches[middle]!
      if (slot < batch.offset) high = middle - 1
      else if (slot >= batch.offset + batch.count) low = middle + 1
      else return { batch, index: slot - batch.offset }
    }
    return undefined
  }

  /**
   * The peer died: hands every held batch to `visit` in send order, then forgets them. The
   * slabs are recycled and must be sent again to the peer's replacement.
   */
  peerDied(visit: (batch: SentBatch) => void): void {
    for (let batch = this.#held.shift(); batch !== undefined; batch = this.#held.shift()) visit(batch)
    this.#retained.clear()
    for (const slab of this.#slabs) {
      if (slab === undefined) continue
      slab.registered = false
      slab.batches.length = 0
      slab.live = 0
      if (slab !== this.#current) this.#recycle(slab)
    }
    if (this.#current) {
      this.#current.bytes.fill(UNSETTLED)
      this.#current.used = 0
    }
  }

  /** Batches are released in the order they were held (from the front), as the ring needs. */
  #release(batch: SentBatch): void {
    this.#retained.release(batch.bytes)
    const slab = batch.slab
    slab.live--
    const index = slab.batches.indexOf(batch)
    if (index >= 0) slab.batches.splice(index, 1)
    if (slab.live > 0) return
    if (slab !== this.#current) this.#recycle(slab)
    else {
      // All settled: the slab in use starts over, so a steady stream keeps reusing the same bytes.
      slab.bytes.fill(UNSETTLED, 0, slab.used)
      slab.used = 0
    }
  }

  #recycle(slab: Slab): void {
    if (this.#free.includes(slab)) return
    slab.bytes.fill(UNSETTLED)
    slab.used = 0
    if (slab.bytes.length === SLAB_BYTES) this.#free.push(slab)
    else this.#slabs[slab.id] = undefined // an outsized slab is not kept
  }

  #allocate(size: number): Slab {
    let id = this.#slabs.indexOf(undefined)
    if (id < 0) id = this.#slabs.length
    const slab: Slab = { id, bytes: new Uint8Array(new SharedArrayBuffer(size)), used: 0, live: 0, registered: false, batches: [] }
    this.#slabs[id] = slab
    return slab
  }
}

/** A slab as the receiver knows it: where to write, and which link to send `Settled` on. */
export interface InboundSlab {
  readonly id: number
  readonly bytes: Uint8Array
  /** The thread that sent it (the link its messages came on). */
  readonly thread: number
  /** False once that sender died: nobody reads the bytes any more, so refusals are reported here. */
  live: boolean
}

/** What a sender posts (before the first batch that uses it) to share a slab with the receiver. */
export interface SlabRegistration {
  readonly slab: number
  readonly buffer: SharedArrayBuffer
}

export function isSlabRegistration(data: unknown): data is SlabRegistration {
  return typeof data === 'object' && data !== null && (data as SlabRegistration).buffer instanceof SharedArrayBuffer
}

/** The receiving side of one link's ledger: the sender's slabs, by id. */
export class InboundLedger {
  readonly #slabs: (InboundSlab | undefined)[] = []

  constructor(readonly thread: number) {}

  register(registration: SlabRegistration): void {
    this.#slabs[registration.slab] = { id: registration.slab, bytes: new Uint8Array(registration.buffer), thread: this.thread, live: true }
  }

  slab(id: number): InboundSlab | undefined {
    return id < 0 ? undefined : this.#slabs[id]
  }

  /** The sender died: its slabs are void (its replacement registers its own). */
  senderDied(): void {
    for (const slab of this.#slabs) if (slab) slab.live = false
    this.#slabs.length = 0
  }
}
