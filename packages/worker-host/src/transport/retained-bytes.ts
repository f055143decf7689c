/** Bytes of the ring: enough for a few hundred batches of small messages in flight. */
const RING_BYTES = 512 * 1024

/**
 * Copies of posted batches, kept in send order and released in the same order, in one reused
 * buffer (a ring) instead of one allocation per batch: a fresh buffer per batch is garbage the
 * collector must track as external memory. A batch too large for the ring, or one that finds it
 * full (a slow receiver holds the oldest batches), gets its own copy.
 */
export class RetainedBytes {
  #ring: Uint8Array | undefined
  /** Where the oldest record kept in the ring starts (it moves as records are released). */
  #head = 0
  /** Where the next record goes. */
  #tail = 0
  /** Records in the ring now: with none, head and tail start over at 0. */
  #records = 0

  /** A copy of `bytes` that stays valid until `release` (in the same order as `keep`). */
  keep(bytes: Uint8Array): Uint8Array {
    const size = bytes.length
    if (size > RING_BYTES / 4) return bytes.slice()
    const ring = (this.#ring ??= new Uint8Array(RING_BYTES))
    if (this.#records === 0) this.#head = this.#tail = 0
    let at = -1
    if (this.#tail >= this.#head) {
      // Free: [tail, end) and [0, head). Strictly below head, so a full ring never looks empty.
      if (this.#tail + size <= RING_BYTES) at = this.#tail
      else if (size < this.#head) at = 0
    } else if (this.#tail + size < this.#head) at = this.#tail
    if (at < 0) return bytes.slice()
    ring.set(bytes, at)
    this.#tail = at + size
    this.#records++
    return ring.subarray(at, at + size)
  }

  /** The oldest kept copy is no longer needed (copies of their own need nothing). */
  release(kept: Uint8Array): void {
    if (kept.buffer !== this.#ring?.buffer) return
    this.#records--
    this.#head = kept.byteOffset + kept.length
  }

  /** Everything kept is released at once (the peer died). */
  clear(): void {
    this.#records = 0
    this.#head = this.#tail = 0
  }
}
