import { StoreConflictError, StoreError } from '@troupe/core'
import type { EntityStore, StoredEvent, StoredReminder, StoredSnapshot, StoredState } from './entity-store.js'

/**
 * The entity store in this thread's memory: plain Maps, gone with the process. For tests, and for
 * programs whose entities need fencing and reminders but not durability. Other threads reach it
 * through a port (`serveStore` / `PortStore`). It is also the reference for what every store
 * does: the argument checks below are shared, so that a call every store refuses is refused the
 * same way by each.
 *
 * Every call takes effect when it is made (the promise only reports it), so calls apply in the
 * order they were made. Bytes are copied on the way in and out: a caller that reuses or mutates
 * its buffer (msgpackr reuses its own) must not change what is stored.
 */
export class MemoryStore implements EntityStore {
  readonly #states = new Map<string, StoredState>()
  /** Events in order: `events[i]` has sequence number `i + 1` (the journal is never trimmed). */
  readonly #journals = new Map<string, Uint8Array[]>()
  readonly #snapshots = new Map<string, StoredSnapshot>()
  /** By id, then by reminder name. */
  readonly #reminders = new Map<string, Map<string, StoredReminder>>()
  #closed = false

  async load(id: string): Promise<StoredState | undefined> {
    this.#check()
    checkId(id)
    const stored = this.#states.get(id)
    return stored && { state: copyBytes(stored.state), revision: stored.revision }
  }

  async upsert(id: string, state: Uint8Array, expectedRevision: number): Promise<number> {
    this.#check()
    checkId(id)
    checkBytes('state', state)
    checkCount('expectedRevision', expectedRevision)
    const actual = this.#states.get(id)?.revision ?? 0
    if (actual !== expectedRevision) throw new StoreConflictError(id, expectedRevision, actual)
    this.#states.set(id, { state: copyBytes(state), revision: actual + 1 })
    return actual + 1
  }

  async delete(id: string, expectedRevision?: number): Promise<void> {
    this.#check()
    checkId(id)
    if (expectedRevision !== undefined) {
      checkCount('expectedRevision', expectedRevision)
      const actual = this.#states.get(id)?.revision ?? 0
      if (actual !== expectedRevision) throw new StoreConflictError(id, expectedRevision, actual)
    }
    this.#states.delete(id)
    this.#journals.delete(id)
    this.#snapshots.delete(id)
  }

  async append(id: string, events: readonly Uint8Array[], expectedSeq: number): Promise<number> {
    this.#check()
    checkId(id)
    checkEvents(events)
    checkCount('expectedSeq', expectedSeq)
    const journal = this.#journals.get(id)
    const actual = journal?.length ?? 0
    if (actual !== expectedSeq) throw new StoreConflictError(id, expectedSeq, actual)
    if (events.length === 0) return actual
    const copies = events.map(copyBytes)
    if (journal === undefined) this.#journals.set(id, copies)
    else journal.push(...copies)
    return actual + events.length
  }

  async read(id: string, from: number, to?: number): Promise<StoredEvent[]> {
    this.#check()
    checkId(id)
    checkCount('from', from)
    if (to !== undefined) checkCount('to', to)
    const journal = this.#journals.get(id) ?? []
    const first = Math.max(from, 1)
    const last = Math.min(to ?? journal.length, journal.length)
    const events: StoredEvent[] = []
    for (let seq = first; seq <= last; seq++) events.push({ seq, event: copyBytes(journal[seq - 1]!) })
    return events
  }

  async highestSeq(id: string): Promise<number> {
    this.#check()
    checkId(id)
    return this.#journals.get(id)?.length ?? 0
  }

  async saveSnapshot(id: string, seq: number, state: Uint8Array): Promise<void> {
    this.#check()
    checkId(id)
    checkCount('seq', seq)
    checkBytes('state', state)
    const kept = this.#snapshots.get(id)
    if (kept !== undefined && kept.seq > seq) return
    this.#snapshots.set(id, { seq, state: copyBytes(state) })
  }

  async loadSnapshot(id: string): Promise<StoredSnapshot | undefined> {
    this.#check()
    checkId(id)
    const kept = this.#snapshots.get(id)
    return kept && { seq: kept.seq, state: copyBytes(kept.state) }
  }

  async putReminder(reminder: StoredReminder): Promise<void> {
    this.#check()
    const copy = checkReminder(reminder)
    let named = this.#reminders.get(copy.id)
    if (named === undefined) this.#reminders.set(copy.id, (named = new Map()))
    named.set(copy.name, copy)
  }

  async deleteReminder(id: string, name: string): Promise<void> {
    this.#check()
    checkId(id)
    checkReminderName(name)
    const named = this.#reminders.get(id)
    if (named?.delete(name) && named.size === 0) this.#reminders.delete(id)
  }

  async reminders(): Promise<StoredReminder[]> {
    this.#check()
    const all: StoredReminder[] = []
    for (const named of this.#reminders.values()) for (const reminder of named.values()) all.push({ ...reminder })
    return all
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  #check(): void {
    if (this.#closed) throw new StoreError('the entity store is closed')
  }
}

/**
 * Limits on ids and reminder names. LMDB keys are at most 1978 bytes, and a reminder's key holds
 * both (plus a few bytes of framing); LMDB also cannot store a NUL in a string key.
 */
const MAX_ID_BYTES = 1024
const MAX_NAME_BYTES = 512
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

function checkKeyString(what: string, value: unknown, maxBytes: number): void {
  if (typeof value !== 'string') throw new TypeError(`the ${what} must be a string; received ${typeof value}`)
  if (value.length === 0) throw new RangeError(`the ${what} must not be empty`)
  if (value.includes('\0')) throw new RangeError(`the ${what} must not contain a NUL character`)
  // Stored as UTF-8, where a lone surrogate would become U+FFFD: two ids, one key.
  if (LONE_SURROGATE.test(value)) throw new RangeError(`the ${what} must be well-formed Unicode (it has a lone surrogate)`)
  // A UTF-8 character takes at most 3 bytes per UTF-16 unit: only long strings need counting.
  if (value.length * 3 > maxBytes && Buffer.byteLength(value, 'utf8') > maxBytes) {
    throw new RangeError(`the ${what} must be at most ${maxBytes} bytes in UTF-8`)
  }
}

/** An entity's store id: a non-empty, well-formed string without NUL, at most 1024 bytes in UTF-8. */
export function checkId(id: unknown): asserts id is string {
  checkKeyString('entity id', id, MAX_ID_BYTES)
}

export function checkReminderName(name: unknown): asserts name is string {
  checkKeyString('reminder name', name, MAX_NAME_BYTES)
}

/** A revision or sequence number: a non-negative safe integer. */
export function checkCount(what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer; received ${String(value)}`)
  }
}

export function checkBytes(what: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`)
}

export function checkEvents(events: unknown): asserts events is readonly Uint8Array[] {
  if (!Array.isArray(events)) throw new TypeError('events must be an array of Uint8Array')
  for (const event of events) checkBytes('every event', event)
}

/** Checks a reminder and returns a copy holding only its known fields. */
export function checkReminder(reminder: unknown): StoredReminder {
  if (typeof reminder !== 'object' || reminder === null) throw new TypeError('a reminder must be an object { id, name, dueAt, periodMs? }')
  const { id, name, dueAt, periodMs } = reminder as Record<string, unknown>
  checkId(id)
  checkReminderName(name)
  if (typeof dueAt !== 'number' || !Number.isFinite(dueAt)) throw new RangeError(`a reminder's dueAt must be a finite number of ms; received ${String(dueAt)}`)
  if (periodMs === undefined) return { id, name, dueAt }
  if (typeof periodMs !== 'number' || !Number.isFinite(periodMs) || periodMs <= 0) {
    throw new RangeError(`a reminder's periodMs must be a positive number of ms; received ${String(periodMs)}`)
  }
  return { id, name, dueAt, periodMs }
}

/** A copy in a buffer of its own, exactly its size: safe to keep, and cheap to post. */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes)
}
