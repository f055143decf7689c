/**
 * Event journals in a NATS KV bucket (server 2.9: no multi-message transactions, no atomic batch
 * publish; the only atomic condition is a compare-and-set on one key's last revision).
 *
 * Keys, `<id>` being the encoded id (nats-keys.ts):
 * - `h.<id>`: the journal's **head**, one message: generation `g`, the highest sequence number
 *   `H`, and the events of the **last append**, inline. Appends are compare-and-set writes of the
 *   head, so the head is the one commit point: an append is in the journal exactly when its head
 *   write succeeded, all of its events at once (they are in that one message).
 * - `e.<id>.<g>.<seq>`: event `seq` of generation `g`, for every event *before* the last append.
 *
 * `append(id, events, expectedSeq)`:
 * 1. read the head (or take this store's cached copy); `H ≠ expectedSeq` → `StoreConflictError`;
 * 2. copy the head's inline events out to their `e.` keys (plain puts), and wait for them;
 * 3. write the new head (`g`, `H + n`, the new events) on condition that the head's revision is
 *    still the one read in 1. If it is not, another writer got there first: read it again, and
 *    refuse with `StoreConflictError` (or go round again if the head still says `expectedSeq`,
 *    which a concurrent `delete` can cause).
 *
 * Why a crash between the steps is harmless: an `e.` key is only ever written with events that a
 * committed head held, so its content is fixed by (g, seq), and writing it twice, or late, or
 * from a stale writer, writes the same bytes. Step 3 succeeds only after step 2 has, so once the
 * head has moved past an append, its events are in their `e.` keys. A writer that dies after 2
 * leaves the head as it was (the next append copies the same events again); one that dies during
 * 3 either committed or did not. `read` reads the head first and takes the events up to `H` from
 * it and from `e.` keys below its inline batch: never anything an uncommitted append wrote.
 *
 * `delete` writes a head with generation `g + 1` and no events (conditional, like an append, so
 * it is ordered with the appends), then purges `e.<id>.<g>.*`. The head stays behind as a small
 * tombstone: generations never repeat, so a stale writer that copies out old events after the
 * purge writes them under the old generation, which nothing reads (a few orphaned keys at worst).
 *
 * Costs: every event is written twice (inline, then copied out by the next append), an append is
 * two round trips (copy-out, head) when this store wrote the head last, three otherwise, and
 * one append must fit in one NATS message (the server's `max_payload`, 1 MiB by default).
 */
import { StoreConflictError, StoreError } from '@troupe/core'
import type { StoredEvent } from './entity-store.js'
import { copyBytes } from './memory-store.js'
import { mapWindowed, type NatsBucket } from './nats-bucket.js'
import { encodeKeyText } from './nats-keys.js'

interface Head {
  readonly generation: number
  readonly highest: number
  /** The last append's events: sequence numbers `highest - batch.length + 1 … highest`. */
  readonly batch: readonly Uint8Array[]
  /** The head's KV revision; 0 when the journal has no head. */
  readonly revision: number
}

const NO_HEAD: Head = { generation: 0, highest: 0, batch: [], revision: 0 }
const HEAD_FORMAT = 1
const HEAD_FIXED_BYTES = 24
/** Rounds an append or a delete goes before giving up on a head that keeps moving under it. */
const MAX_ROUNDS = 8
/** Event reads in flight at once, per `read`. */
const READ_WINDOW = 64
/** Heads remembered (with their inline events), so that a writer's next append can skip reading its own head. */
const CACHED_HEADS = 4096

export class NatsJournal {
  readonly #bucket: NatsBucket
  readonly #heads = new Map<string, Head>()

  constructor(bucket: NatsBucket) {
    this.#bucket = bucket
  }

  /** `events` must already be this store's own copies (the caller may reuse its buffers once the call returns). */
  async append(id: string, events: readonly Uint8Array[], expectedSeq: number): Promise<number> {
    const key = encodeKeyText(id)
    const cached = this.#heads.get(id)
    // The cache saves a round trip when it is right; when it is stale, the head write below fails and we read.
    let head = events.length > 0 && cached?.highest === expectedSeq ? cached : await this.#readHead(id, key)
    for (let round = 1; ; round++) {
      if (head.highest !== expectedSeq) throw new StoreConflictError(id, expectedSeq, head.highest)
      if (events.length === 0) return expectedSeq
      const first = head.highest - head.batch.length + 1
      await Promise.all(head.batch.map((event, i) => this.#bucket.put(eventKey(key, head.generation, first + i), event)))
      const next = { generation: head.generation, highest: expectedSeq + events.length, batch: events }
      const revision = await this.#bucket.put(headKey(key), encodeHead(next), head.revision)
      if (revision !== undefined) {
        this.#remember(id, { ...next, revision })
        return next.highest
      }
      head = await this.#readHead(id, key)
      if (round >= MAX_ROUNDS && head.highest === expectedSeq) throw new StoreError(`the journal of ${id} kept changing under ${MAX_ROUNDS} appends in a row`)
    }
  }

  async read(id: string, from: number, to: number | undefined): Promise<StoredEvent[]> {
    const key = encodeKeyText(id)
    for (let round = 1; ; round++) {
      const head = await this.#readHead(id, key)
      const first = Math.max(from, 1)
      const last = Math.min(to ?? head.highest, head.highest)
      if (last < first) return []
      const inlineFrom = head.highest - head.batch.length + 1
      const seqs = Array.from({ length: last - first + 1 }, (_, i) => first + i)
      const events = await mapWindowed(seqs, READ_WINDOW, async (seq): Promise<StoredEvent | undefined> => {
        if (seq >= inlineFrom) return { seq, event: copyBytes(head.batch[seq - inlineFrom]!) }
        const entry = await this.#bucket.get(eventKey(key, head.generation, seq))
        return entry?.live ? { seq, event: copyBytes(entry.value) } : undefined
      })
      if (events.every((event) => event !== undefined)) return events as StoredEvent[]
      // Events of a generation are only removed by `delete`, after it moved the head to the next one.
      const now = await this.#readHead(id, key)
      if (now.generation === head.generation || round >= MAX_ROUNDS) throw new StoreError(`the journal of ${id} has lost events below ${inlineFrom} (its e. keys are missing)`)
    }
  }

  async highestSeq(id: string): Promise<number> {
    return (await this.#readHead(id, encodeKeyText(id))).highest
  }

  /** Empties the journal: the next append expects 0. */
  async delete(id: string): Promise<void> {
    const key = encodeKeyText(id)
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const head = await this.#readHead(id, key)
      if (head.highest === 0 && head.batch.length === 0) return
      const emptied = { generation: head.generation + 1, highest: 0, batch: [] }
      const revision = await this.#bucket.put(headKey(key), encodeHead(emptied), head.revision)
      if (revision === undefined) continue
      this.#remember(id, { ...emptied, revision })
      await this.#bucket.purge(`e.${key}.${head.generation}.*`)
      return
    }
    throw new StoreError(`the journal of ${id} kept changing under ${MAX_ROUNDS} deletes in a row`)
  }

  async #readHead(id: string, key: string): Promise<Head> {
    const entry = await this.#bucket.get(headKey(key))
    const head = entry?.live ? decodeHead(id, entry.value, entry.revision) : entry ? { ...NO_HEAD, revision: entry.revision } : NO_HEAD
    this.#remember(id, head)
    return head
  }

  #remember(id: string, head: Head): void {
    this.#heads.delete(id)
    if (this.#heads.size >= CACHED_HEADS) this.#heads.delete(this.#heads.keys().next().value!)
    this.#heads.set(id, head)
  }
}

const headKey = (key: string): string => `h.${key}`
const eventKey = (key: string, generation: number, seq: number): string => `e.${key}.${generation}.${seq}`

/**
 * The head's bytes: u32 format, u32 event count n, f64 generation, f64 highest, n × u32 event
 * lengths, then the events.
 */
function encodeHead(head: Omit<Head, 'revision'>): Uint8Array {
  const bytes = head.batch.reduce((sum, event) => sum + event.length, 0)
  const out = new Uint8Array(HEAD_FIXED_BYTES + 4 * head.batch.length + bytes)
  const view = new DataView(out.buffer)
  view.setUint32(0, HEAD_FORMAT)
  view.setUint32(4, head.batch.length)
  view.setFloat64(8, head.generation)
  view.setFloat64(16, head.highest)
  let at = HEAD_FIXED_BYTES + 4 * head.batch.length
  head.batch.forEach((event, i) => {
    view.setUint32(HEAD_FIXED_BYTES + 4 * i, event.length)
    out.set(event, at)
    at += event.length
  })
  return out
}

function decodeHead(id: string, value: Uint8Array, revision: number): Head {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength)
  const count = value.length >= HEAD_FIXED_BYTES ? view.getUint32(4) : -1
  const damaged = (): StoreError => new StoreError(`the journal head of ${id} is not one this store wrote (${value.length} bytes)`)
  if (count < 0 || view.getUint32(0) !== HEAD_FORMAT || value.length < HEAD_FIXED_BYTES + 4 * count) throw damaged()
  const generation = view.getFloat64(8)
  const highest = view.getFloat64(16)
  if (!Number.isSafeInteger(generation) || !Number.isSafeInteger(highest) || highest < count) throw damaged()
  const batch: Uint8Array[] = []
  let at = HEAD_FIXED_BYTES + 4 * count
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(HEAD_FIXED_BYTES + 4 * i)
    if (at + length > value.length) throw damaged()
    batch.push(value.subarray(at, at + length))
    at += length
  }
  return { generation, highest, batch, revision }
}
