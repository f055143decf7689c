/**
 * The entity store on NATS JetStream key-value buckets: one store shared by the threads and the
 * processes (the nodes of a cluster) that connect to the same servers with the same bucket
 * prefix. Every thread opens its own `NatsStore` and connection.
 *
 * Four buckets, `<prefix>-state`, `-journal`, `-snapshots` and `-reminders` (history 1, file
 * storage, created if missing). Ids and reminder names become keys as in nats-keys.ts.
 *
 * - **State**: key = the id; value = the store revision (8 bytes) then the state. The store's
 *   revision counts the id's writes (1, 2, 3…), while a KV revision is the stream's sequence
 *   number, shared by all keys; so the value carries the store revision, and each write is a
 *   compare-and-set on the KV revision of the message it replaces (`Nats-Expected-Last-Subject-
 *   Sequence`; 0: the key has no message). `upsert` reads the key to learn that KV revision,
 *   unless this store wrote or read that revision last (a bounded cache), and a refused write
 *   reads again to report the revision now stored. A deleted state leaves a deletion marker, on
 *   which the next create conditions its write.
 * - **Journal**: see nats-journal.ts (the head key is the commit point of every append).
 * - **Snapshots**: key = the id; value = seq (8 bytes) then the state; kept only if no newer.
 * - **Reminders**: key = id and name; value = JSON `{ dueAt, periodMs? }`.
 *
 * Every call waits at most about `timeoutMs` per round trip (NATS request timeouts); when the
 * connection is lost, calls reject with `StoreError` naming what failed, while the client keeps
 * reconnecting. A write that failed that way may still have been applied (its answer was lost):
 * the fencing of the next write tells. The NATS packages are imported when a store is opened.
 */
import { InvalidOptionError, StoreConflictError, StoreError } from '@troupe/core'
import { checkKnownOptions } from '@troupe/core/internal'
import type { NatsConnection } from '@nats-io/transport-node'
import type { EntityStore, StoredEvent, StoredReminder, StoredSnapshot, StoredState } from './entity-store.js'
import { checkBytes, checkCount, checkEvents, checkId, checkReminder, checkReminderName, copyBytes } from './memory-store.js'
import { mapWindowed, NatsBucket, within } from './nats-bucket.js'
import { NatsJournal } from './nats-journal.js'
import { encodeKeyText, parseReminderKey, reminderKey, splitNumber, withNumber } from './nats-keys.js'

export interface NatsStoreOptions {
  /** The NATS server(s) to connect to; the store opens its own connection and closes it in `close()`. */
  readonly servers?: string | readonly string[]
  /** Or a connection to use (then `servers` must be absent); the store never closes it. */
  readonly connection?: NatsConnection
  /** The prefix of the four buckets' names. Default `'troupe'`. */
  readonly bucket?: string
  /** Copies of each bucket on a JetStream cluster, when the store creates them: 1 to 5. Default 1. */
  readonly replicas?: number
  /** How long one request (a read, a write, a connection attempt) may wait, in ms. Default 5 000. */
  readonly timeoutMs?: number
}

const DEFAULT_PREFIX = 'troupe'
const DEFAULT_TIMEOUT_MS = 5000
const BUCKET_PREFIX = /^[A-Za-z0-9_-]{1,64}$/
/** Rounds of read-then-write for a write whose key keeps changing under it (a conflict ends it at once). */
const MAX_ROUNDS = 8
/** (store revision, KV revision) of states this store read or wrote last, so an entity's next upsert needs no read. */
const CACHED_REVISIONS = 16_384
const READ_WINDOW = 64

/** Opens (creating the buckets if missing) the NATS store. */
export async function openNatsStore(options: NatsStoreOptions): Promise<NatsStore> {
  return NatsStore.open(options)
}

interface Buckets {
  readonly state: NatsBucket
  readonly journal: NatsBucket
  readonly snapshots: NatsBucket
  readonly reminders: NatsBucket
}

export class NatsStore implements EntityStore {
  readonly #connection: NatsConnection
  readonly #ownsConnection: boolean
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #buckets: Buckets
  readonly #journal: NatsJournal
  readonly #revisions = new Map<string, { revision: number; kv: number }>()
  readonly #running = new Set<Promise<unknown>>()
  #closing: Promise<void> | undefined

  static async open(options: NatsStoreOptions): Promise<NatsStore> {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object { servers, bucket?, replicas?, timeoutMs? }', options)
    checkKnownOptions(options, ['servers', 'connection', 'bucket', 'replicas', 'timeoutMs'])
    const prefix = options.bucket ?? DEFAULT_PREFIX
    if (typeof prefix !== 'string' || !BUCKET_PREFIX.test(prefix)) throw new InvalidOptionError('bucket', 'a bucket name prefix of 1 to 64 letters, digits, _ or -', prefix)
    const replicas = options.replicas ?? 1
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) throw new InvalidOptionError('replicas', 'an integer from 1 to 5', replicas)
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2 ** 31 - 1) throw new InvalidOptionError('timeoutMs', 'an integer of ms from 1 to 2147483647', timeoutMs)
    const servers = serverList(options)

    const [{ connect }, { jetstream, jetstreamManager, StorageType }, { Kvm }] = await Promise.all([
      import('@nats-io/transport-node'),
      import('@nats-io/jetstream'),
      import('@nats-io/kv'),
    ])
    const where = servers ? servers.join(', ') : 'the given connection'
    let connection = options.connection
    try {
      connection ??= await connect({ servers: servers!, name: `troupe entity store (${prefix})`, timeout: timeoutMs, maxReconnectAttempts: -1, reconnectTimeWait: 1000 })
    } catch (error) {
      throw new StoreError(`cannot open the NATS entity store: cannot connect to ${where}: ${describe(error)}`, { cause: error })
    }
    try {
      const js = jetstream(connection, { timeout: timeoutMs })
      const jsm = await jetstreamManager(connection, { timeout: timeoutMs, checkAPI: false })
      const kvm = new Kvm(js)
      // With replicas, a direct get may be answered by a replica that lags: read through the leader.
      const bucketOptions = { history: 1, storage: StorageType.File, replicas, timeout: timeoutMs, ...(replicas > 1 ? { allow_direct: false } : {}) }
      const open = async (suffix: string): Promise<NatsBucket> => {
        const name = `${prefix}-${suffix}`
        return new NatsBucket(name, await within(kvm.create(name, { ...bucketOptions }), timeoutMs * 2, `opening bucket ${name}`), jsm, timeoutMs)
      }
      const [state, journal, snapshots, reminders] = await Promise.all(['state', 'journal', 'snapshots', 'reminders'].map(open))
      return new NatsStore(connection, !options.connection, prefix, timeoutMs, { state: state!, journal: journal!, snapshots: snapshots!, reminders: reminders! })
    } catch (error) {
      if (!options.connection) await connection.close().catch(() => undefined)
      throw new StoreError(`cannot open the NATS entity store (buckets ${prefix}-*) on ${where}: ${describe(error)}`, { cause: error })
    }
  }

  private constructor(connection: NatsConnection, ownsConnection: boolean, prefix: string, timeoutMs: number, buckets: Buckets) {
    this.#connection = connection
    this.#ownsConnection = ownsConnection
    this.#prefix = prefix
    this.#timeoutMs = timeoutMs
    this.#buckets = buckets
    this.#journal = new NatsJournal(buckets.journal)
  }

  async load(id: string): Promise<StoredState | undefined> {
    this.#check()
    checkId(id)
    return this.#run('load', id, async () => {
      const entry = await this.#buckets.state.get(encodeKeyText(id))
      if (!entry?.live) {
        this.#revisions.delete(id)
        return undefined
      }
      const { n: revision, bytes } = this.#split(id, entry.value)
      this.#remember(id, revision, entry.revision)
      return { state: bytes, revision }
    })
  }

  async upsert(id: string, state: Uint8Array, expectedRevision: number): Promise<number> {
    this.#check()
    checkId(id)
    checkBytes('state', state)
    checkCount('expectedRevision', expectedRevision)
    const value = withNumber(expectedRevision + 1, state) // copies, before the caller can reuse its buffer
    return this.#run('upsert', id, async () => {
      const key = encodeKeyText(id)
      const cached = this.#revisions.get(id)
      let previous = cached?.revision === expectedRevision ? cached.kv : await this.#kvRevisionAt(id, key, expectedRevision)
      for (let round = 1; ; round++) {
        const written = await this.#buckets.state.put(key, value, previous)
        if (written !== undefined) {
          this.#remember(id, expectedRevision + 1, written)
          return expectedRevision + 1
        }
        this.#revisions.delete(id)
        if (round >= MAX_ROUNDS) throw new StoreError(`the state of ${id} kept changing under ${MAX_ROUNDS} writes in a row`)
        previous = await this.#kvRevisionAt(id, key, expectedRevision)
      }
    })
  }

  async delete(id: string, expectedRevision?: number): Promise<void> {
    this.#check()
    checkId(id)
    if (expectedRevision !== undefined) checkCount('expectedRevision', expectedRevision)
    return this.#run('delete', id, async () => {
      const key = encodeKeyText(id)
      for (let round = 1; ; round++) {
        const entry = await this.#buckets.state.get(key)
        const actual = entry?.live ? this.#split(id, entry.value).n : 0
        if (expectedRevision !== undefined && actual !== expectedRevision) throw new StoreConflictError(id, expectedRevision, actual)
        // Conditional, so that a write that came in between is not deleted unseen.
        if (!entry?.live || (await this.#buckets.state.remove(key, entry.revision))) break
        if (round >= MAX_ROUNDS) throw new StoreError(`the state of ${id} kept changing under ${MAX_ROUNDS} deletes in a row`)
      }
      this.#revisions.delete(id)
      await this.#journal.delete(id)
      await this.#buckets.snapshots.purge(key)
    })
  }

  async append(id: string, events: readonly Uint8Array[], expectedSeq: number): Promise<number> {
    this.#check()
    checkId(id)
    checkEvents(events)
    checkCount('expectedSeq', expectedSeq)
    const copies = events.map(copyBytes)
    return this.#run('append to', id, () => this.#journal.append(id, copies, expectedSeq))
  }

  async read(id: string, from: number, to?: number): Promise<StoredEvent[]> {
    this.#check()
    checkId(id)
    checkCount('from', from)
    if (to !== undefined) checkCount('to', to)
    return this.#run('read the journal of', id, () => this.#journal.read(id, from, to))
  }

  async highestSeq(id: string): Promise<number> {
    this.#check()
    checkId(id)
    return this.#run('read the journal of', id, () => this.#journal.highestSeq(id))
  }

  async saveSnapshot(id: string, seq: number, state: Uint8Array): Promise<void> {
    this.#check()
    checkId(id)
    checkCount('seq', seq)
    checkBytes('state', state)
    const value = withNumber(seq, state)
    return this.#run('save a snapshot of', id, async () => {
      const key = encodeKeyText(id)
      // Read, then write on condition that nothing was written in between; each round that fails saw a newer write.
      for (let round = 1; round <= MAX_ROUNDS; round++) {
        const entry = await this.#buckets.snapshots.get(key)
        if (entry?.live && this.#split(id, entry.value).n > seq) return
        if ((await this.#buckets.snapshots.put(key, value, entry?.revision ?? 0)) !== undefined) return
      }
      throw new StoreError(`the snapshot of ${id} kept changing under ${MAX_ROUNDS} saves in a row`)
    })
  }

  async loadSnapshot(id: string): Promise<StoredSnapshot | undefined> {
    this.#check()
    checkId(id)
    return this.#run('load the snapshot of', id, async () => {
      const entry = await this.#buckets.snapshots.get(encodeKeyText(id))
      if (!entry?.live) return undefined
      const { n: seq, bytes: state } = this.#split(id, entry.value)
      return { seq, state }
    })
  }

  async putReminder(reminder: StoredReminder): Promise<void> {
    this.#check()
    const { id, name, dueAt, periodMs } = checkReminder(reminder)
    const value = new TextEncoder().encode(JSON.stringify(periodMs === undefined ? { dueAt } : { dueAt, periodMs }))
    return this.#run('store a reminder of', id, async () => void (await this.#buckets.reminders.put(reminderKey(id, name), value)))
  }

  async deleteReminder(id: string, name: string): Promise<void> {
    this.#check()
    checkId(id)
    checkReminderName(name)
    // A purge leaves no deletion marker behind: one-shot reminders come and go all the time.
    return this.#run('delete a reminder of', id, () => this.#buckets.reminders.purge(reminderKey(id, name)))
  }

  async reminders(): Promise<StoredReminder[]> {
    this.#check()
    return this.#run('list the reminders', undefined, async () => {
      const bucket = this.#buckets.reminders
      const keys = await bucket.keys()
      const found = await mapWindowed(keys, READ_WINDOW, async (key): Promise<StoredReminder | undefined> => {
        const entry = await bucket.get(key)
        const named = parseReminderKey(key)
        if (!entry?.live || named === undefined) return undefined // deleted since it was listed, or not a key of this store
        return parseReminder(named.id, named.name, entry.value)
      })
      return found.filter((reminder) => reminder !== undefined)
    })
  }

  /**
   * Waits for the calls under way (each ends within its timeouts), then closes the connection if
   * the store opened it. A write that resolved was acknowledged by JetStream: it is stored, as
   * durably as the buckets' replicas and the server's sync settings make it.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#running])
      if (!this.#ownsConnection) return
      try {
        await within(this.#connection.close(), this.#timeoutMs, 'closing the connection')
      } catch (error) {
        throw new StoreError(`closing the NATS entity store (buckets ${this.#prefix}-*) failed: ${describe(error)}`, { cause: error })
      }
    })()
    return this.#closing
  }

  #check(): void {
    if (this.#closing !== undefined) throw new StoreError(`the NATS entity store (buckets ${this.#prefix}-*) is closed`)
  }

  /** Runs one call: tracked for `close`, and any failure but a conflict becomes a `StoreError` that names the call. */
  #run<T>(what: string, id: string | undefined, work: () => Promise<T>): Promise<T> {
    const running = work().catch((error: unknown) => {
      if (error instanceof StoreConflictError) throw error
      const target = id === undefined ? '' : ` ${shorten(id)}`
      const hint = /max_payload/i.test(describe(error)) ? " (one value must fit in one NATS message: raise the server's max_payload)" : ''
      throw new StoreError(`the NATS entity store (buckets ${this.#prefix}-*) could not ${what}${target}: ${describe(error)}${hint}`, { cause: error })
    })
    this.#running.add(running)
    const done = (): void => void this.#running.delete(running)
    running.then(done, done)
    return running
  }

  /** The KV revision that holds store revision `expected` of `id` (0: no message, or a deletion marker's); a conflict if it is not stored. */
  async #kvRevisionAt(id: string, key: string, expected: number): Promise<number> {
    const entry = await this.#buckets.state.get(key)
    const actual = entry?.live ? this.#split(id, entry.value).n : 0
    if (actual !== expected) throw new StoreConflictError(id, expected, actual)
    return entry?.revision ?? 0
  }

  #split(id: string, value: Uint8Array): { n: number; bytes: Uint8Array } {
    const split = splitNumber(value)
    if (split === undefined) throw new StoreError(`the stored value of ${shorten(id)} is not one this store wrote (${value.length} bytes)`)
    return split
  }

  #remember(id: string, revision: number, kv: number): void {
    this.#revisions.delete(id)
    if (this.#revisions.size >= CACHED_REVISIONS) this.#revisions.delete(this.#revisions.keys().next().value!)
    this.#revisions.set(id, { revision, kv })
  }
}

function serverList(options: NatsStoreOptions): string[] | undefined {
  const { servers, connection } = options
  if (connection !== undefined) {
    if (servers !== undefined) throw new InvalidOptionError('servers', 'absent when a connection is given', servers)
    if (typeof connection !== 'object' || connection === null || typeof connection.close !== 'function') throw new InvalidOptionError('connection', 'a NATS connection', connection)
    return undefined
  }
  const list = typeof servers === 'string' ? [servers] : servers
  if (!Array.isArray(list) || list.length === 0 || !list.every((url) => typeof url === 'string' && url.length > 0)) {
    throw new InvalidOptionError('servers', "a NATS URL such as 'nats://127.0.0.1:4222', or a non-empty array of them", servers)
  }
  return [...list] as string[]
}

function parseReminder(id: string, name: string, value: Uint8Array): StoredReminder | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder().decode(value))
  } catch {
    return undefined
  }
  const { dueAt, periodMs } = (parsed ?? {}) as { dueAt?: unknown; periodMs?: unknown }
  if (typeof dueAt !== 'number') return undefined
  return typeof periodMs === 'number' ? { id, name, dueAt, periodMs } : { id, name, dueAt }
}

function shorten(id: string): string {
  return id.length > 120 ? `${id.slice(0, 117)}...` : id
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
