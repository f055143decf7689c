import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { InvalidOptionError, StoreConflictError, StoreError } from '@troupe/core'
import { checkKnownOptions } from '@troupe/core/internal'
// Types only: the module itself is loaded by `openLmdbStore`, so a program without entities never loads lmdb.
import type { Database, RootDatabase } from 'lmdb'
import type { EntityStore, StoredEvent, StoredReminder, StoredSnapshot, StoredState } from './entity-store.js'
import { checkBytes, checkCount, checkEvents, checkId, checkReminder, checkReminderName, copyBytes } from './memory-store.js'

/**
 * When a write's promise resolves:
 * - `'sync'` (default): once its transaction is committed and flushed to disk (fdatasync). It
 *   survives the process being killed and the machine losing power. lmdb-js's `overlappingSync`
 *   flushes after the commit, outside LMDB's write lock, so the next transaction commits while
 *   the previous one is being flushed.
 * - `'process'`: once its transaction is committed into the file through the OS page cache
 *   (LMDB's `noSync`: no flush at all). It survives the process being killed (SIGKILL, a crash);
 *   an OS crash or a power loss may lose the latest writes (and, on a file system that reorders
 *   writes, damage the file). For data that can be rebuilt, or disks whose flushes are slow.
 *
 * The threads of one process share one LMDB environment, so they must all open a directory with
 * the same durability: opening it with the other one while it is open rejects with `StoreError`.
 */
export type LmdbDurability = 'sync' | 'process'

export interface LmdbStoreOptions {
  /** The store's directory, created if missing (relative: against the working directory). */
  readonly path: string
  /** See `LmdbDurability`. Default `'sync'`. */
  readonly durability?: LmdbDurability
}

/** Validates a store directory option, naming it `option` in the error. */
export function checkStorePath(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidOptionError(option, 'a directory path (a non-empty string)', value)
  return resolve(value)
}

export function checkDurability(option: string, value: unknown): LmdbDurability {
  if (value === undefined) return 'sync'
  if (value === 'sync' || value === 'process') return value
  throw new InvalidOptionError(option, "'sync' or 'process'", value)
}

/** The journal's keys: `[id, seq]` for an event; `[id, 0]` is the journal's head (see below). */
type JournalKey = [id: string, seq: number]
type ReminderKey = [id: string, name: string]
interface ReminderValue {
  dueAt: number
  periodMs?: number
}

/**
 * One environment, four named databases. Revisions and sequence numbers are LMDB-js entry
 * versions, so that the write thread checks them inside the transaction (`ifVersion`):
 * - `state`: id → state bytes, version = revision.
 * - `journal`: `[id, seq]` → event bytes; `[id, 0]` → nothing, version = the highest sequence
 *   number ever appended: the fencing token of appends, which outlives any trimmed event.
 *   Array keys sort by id then seq, so `read` is one range scan.
 * - `snapshots`: id → state bytes, version = seq.
 * - `reminders`: `[id, name]` → msgpack `{ dueAt, periodMs? }`.
 */
interface Databases {
  readonly root: RootDatabase<unknown, string>
  readonly state: Database<Uint8Array, string>
  readonly journal: Database<Uint8Array, JournalKey>
  readonly snapshots: Database<Uint8Array, string>
  readonly reminders: Database<ReminderValue, ReminderKey>
}

/** What lmdb-js's write methods return: with `separateFlushed`, the promise carries its flush. */
type Write<T> = Promise<T> & { flushed?: PromiseLike<unknown> }

const EMPTY = new Uint8Array(0)
const LAST_SEQ = Number.MAX_SAFE_INTEGER
const CHUNK_BYTES = 64 * 1024

/** Opens (or creates) the LMDB store in `options.path`. */
export async function openLmdbStore(options: LmdbStoreOptions): Promise<LmdbStore> {
  return LmdbStore.open(options)
}

/**
 * The entity store on LMDB (lmdb-js): embedded, crash-safe, shared by the threads of a process
 * and, one after another or at once, by processes.
 *
 * Group commit: every write is one lmdb-js asynchronous write (a conditional `put`, or an
 * `ifVersion` / `ifNoExists` block), which lmdb-js hands to its write thread and commits with
 * every other write issued in the same event-loop turn, whichever entity issued it: one
 * transaction, and in `'sync'` one flush, for all of them. Conditions are checked by the write
 * thread inside that transaction, so fencing holds across threads and processes, and no
 * transaction waits for this thread's event loop. Only `delete` runs a transaction callback here
 * (it must list the journal's keys in the transaction that removes them): rare, and it holds the
 * write lock only until this thread's event loop gets to it.
 *
 * Calls issued in one turn are not ordered with each other (lmdb-js runs `delete`'s callback
 * after the turn's other writes); a caller that needs an order awaits each call.
 */
export class LmdbStore implements EntityStore {
  readonly #db: Databases
  readonly #path: string
  readonly #sync: boolean
  #closing: Promise<void> | undefined
  #commits = 0
  #chunk = new Uint8Array(CHUNK_BYTES)
  #chunkUsed = 0

  static async open(options: LmdbStoreOptions): Promise<LmdbStore> {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object { path, durability? }', options)
    checkKnownOptions(options, ['path', 'durability'])
    const path = checkStorePath('path', options.path)
    const durability = checkDurability('durability', options.durability)
    try {
      await mkdir(path, { recursive: true })
      const { open } = await import('lmdb')
      const root = open<unknown, string>({
        path,
        maxDbs: 4,
        // `overlappingSync` is given explicitly (it is lmdb-js's default except on Windows) so
        // that lmdb-js refuses a second open of the environment with the other durability.
        ...(durability === 'sync' ? { overlappingSync: true, separateFlushed: true } : { noSync: true }),
      })
      const versioned = { useVersions: true, encoding: 'binary' } as const
      const db: Databases = {
        root,
        state: root.openDB<Uint8Array, string>('state', versioned),
        journal: root.openDB<Uint8Array, JournalKey>('journal', versioned),
        snapshots: root.openDB<Uint8Array, string>('snapshots', versioned),
        reminders: root.openDB<ReminderValue, ReminderKey>('reminders', { encoding: 'msgpack' }),
      }
      return new LmdbStore(db, path, durability === 'sync')
    } catch (error) {
      throw new StoreError(`cannot open the entity store in ${path}: ${describe(error)}`, { cause: error })
    }
  }

  private constructor(db: Databases, path: string, sync: boolean) {
    this.#db = db
    this.#path = path
    this.#sync = sync
    db.root.on('aftercommit', () => this.#commits++)
  }

  /** The transactions this store's thread has committed: writes per transaction is the group-commit factor. */
  get commitCount(): number {
    return this.#commits
  }

  async load(id: string): Promise<StoredState | undefined> {
    this.#check()
    checkId(id)
    const entry = this.#read(() => this.#db.state.getEntry(id))
    return entry && { state: copyBytes(entry.value), revision: entry.version ?? 0 }
  }

  async upsert(id: string, state: Uint8Array, expectedRevision: number): Promise<number> {
    this.#check()
    checkId(id)
    checkBytes('state', state)
    checkCount('expectedRevision', expectedRevision)
    const db = this.#db.state
    const bytes = this.#copy(state) // lmdb-js reads the bytes on its write thread, later
    const revision = expectedRevision + 1
    const written = await this.#write(() =>
      expectedRevision === 0 ? db.ifNoExists(id, () => void db.put(id, bytes, revision)) : db.put(id, bytes, revision, expectedRevision),
    )
    if (!written) throw new StoreConflictError(id, expectedRevision, this.#read(() => db.getEntry(id)?.version ?? 0))
    return revision
  }

  async delete(id: string, expectedRevision?: number): Promise<void> {
    this.#check()
    checkId(id)
    if (expectedRevision !== undefined) checkCount('expectedRevision', expectedRevision)
    const { state, journal, snapshots } = this.#db
    const actual = await this.#write(() =>
      state.transaction(() => {
        const revision = state.getEntry(id)?.version ?? 0
        if (expectedRevision !== undefined && revision !== expectedRevision) return revision
        state.remove(id)
        snapshots.remove(id)
        // Listed first: removing under an open cursor would move it.
        for (const key of [...journal.getKeys({ start: [id, 0], end: [id, LAST_SEQ], inclusiveEnd: true })]) journal.remove(key)
        return expectedRevision
      }),
    )
    if (expectedRevision !== undefined && actual !== expectedRevision) throw new StoreConflictError(id, expectedRevision, actual ?? 0)
  }

  async append(id: string, events: readonly Uint8Array[], expectedSeq: number): Promise<number> {
    this.#check()
    checkId(id)
    checkEvents(events)
    checkCount('expectedSeq', expectedSeq)
    const db = this.#db.journal
    const copies = events.map((event) => this.#copy(event))
    const head: JournalKey = [id, 0]
    const highest = expectedSeq + copies.length
    // Queued inside the condition: all of them are written, or none.
    const writeAll = (): void => {
      copies.forEach((event, i) => void db.put([id, expectedSeq + 1 + i], event))
      if (copies.length > 0) void db.put(head, EMPTY, highest)
    }
    const written = await this.#write(() => (expectedSeq === 0 ? db.ifNoExists(head, writeAll) : db.ifVersion(head, expectedSeq, writeAll)))
    if (!written) throw new StoreConflictError(id, expectedSeq, this.#read(() => db.getEntry(head)?.version ?? 0))
    return highest
  }

  async read(id: string, from: number, to?: number): Promise<StoredEvent[]> {
    this.#check()
    checkId(id)
    checkCount('from', from)
    if (to !== undefined) checkCount('to', to)
    const first = Math.max(from, 1)
    const last = to ?? LAST_SEQ
    if (last < first) return []
    const range = (): StoredEvent[] =>
      Array.from(this.#db.journal.getRange({ start: [id, first], end: [id, last], inclusiveEnd: true }), ({ key, value }) => ({ seq: key[1], event: copyBytes(value) }))
    return this.#read(range)
  }

  async highestSeq(id: string): Promise<number> {
    this.#check()
    checkId(id)
    return this.#read(() => this.#db.journal.getEntry([id, 0])?.version ?? 0)
  }

  async saveSnapshot(id: string, seq: number, state: Uint8Array): Promise<void> {
    this.#check()
    checkId(id)
    checkCount('seq', seq)
    checkBytes('state', state)
    const db = this.#db.snapshots
    const bytes = this.#copy(state)
    // A conditional put on the version read: if another writer got in between, read again. Each
    // round sees a newer snapshot, so this ends (at once, unless writers of one id race).
    for (;;) {
      this.#check()
      const kept = this.#read(() => db.getEntry(id)?.version)
      if (kept !== undefined && kept > seq) return
      const written = await this.#write(() => (kept === undefined ? db.ifNoExists(id, () => void db.put(id, bytes, seq)) : db.put(id, bytes, seq, kept)))
      if (written) return
    }
  }

  async loadSnapshot(id: string): Promise<StoredSnapshot | undefined> {
    this.#check()
    checkId(id)
    const entry = this.#read(() => this.#db.snapshots.getEntry(id))
    return entry && { seq: entry.version ?? 0, state: copyBytes(entry.value) }
  }

  async putReminder(reminder: StoredReminder): Promise<void> {
    this.#check()
    const { id, name, dueAt, periodMs } = checkReminder(reminder)
    const db = this.#db.reminders
    await this.#write(() => db.put([id, name], periodMs === undefined ? { dueAt } : { dueAt, periodMs }))
  }

  async deleteReminder(id: string, name: string): Promise<void> {
    this.#check()
    checkId(id)
    checkReminderName(name)
    const db = this.#db.reminders
    await this.#write(() => db.remove([id, name]))
  }

  async reminders(): Promise<StoredReminder[]> {
    this.#check()
    const all = (): StoredReminder[] =>
      Array.from(this.#db.reminders.getRange(), ({ key: [id, name], value: { dueAt, periodMs } }) =>
        periodMs === undefined ? { id, name, dueAt } : { id, name, dueAt, periodMs },
      )
    return this.#read(all)
  }

  /** Waits for the writes under way (lmdb-js flushes them), then releases this thread's handle on the environment. */
  /**
   * Waits until every write issued so far is as durable as the store was opened for, without
   * closing the environment: a worker thread about to end uses it instead of `close`. Closing an
   * environment that other threads of the process share, from several threads at shutdown, has
   * aborted the process inside lmdb's native close (seen under load, not reproduced alone); a
   * thread that ends releases its handle through lmdb's own cleanup, as a crashed one does.
   */
  async settle(): Promise<void> {
    if (this.#closing !== undefined) return
    await this.#db.root.flushed
  }

  close(): Promise<void> {
    this.#closing ??= this.#db.root.close().catch((error: unknown) => {
      throw new StoreError(`closing the entity store in ${this.#path} failed: ${describe(error)}`, { cause: error })
    })
    return this.#closing
  }

  #check(): void {
    // After close, lmdb-js would throw from a timer (an uncaught exception), not reject: refuse first.
    if (this.#closing !== undefined) throw new StoreError(`the entity store in ${this.#path} is closed`)
  }

  #read<T>(read: () => T): T {
    try {
      return read()
    } catch (error) {
      throw this.#failure(error)
    }
  }

  /** Starts a write; resolves with its outcome once it is as durable as the store was opened for. */
  #write<T>(start: () => Write<T>): Promise<T> {
    let write: Write<T>
    try {
      write = start()
    } catch (error) {
      return Promise.reject(this.#failure(error))
    }
    // A write promise resolves at commit; in 'sync' its flush comes after (overlappingSync).
    const durable = this.#sync ? write.then((outcome) => Promise.resolve(write.flushed ?? this.#db.root.flushed).then(() => outcome)) : write
    return durable.catch((error: unknown) => {
      throw this.#failure(error)
    })
  }

  /**
   * A copy of `bytes` for lmdb-js to read on its write thread. Copies share 64 KiB chunks: a
   * small ArrayBuffer each would cost more than the write (V8 must give each an address of its
   * own, and collect it). A chunk is never written again once full, and is freed with its last
   * write.
   */
  #copy(bytes: Uint8Array): Uint8Array {
    if (bytes.length > CHUNK_BYTES / 4) return copyBytes(bytes)
    if (this.#chunkUsed + bytes.length > CHUNK_BYTES) {
      this.#chunk = new Uint8Array(CHUNK_BYTES)
      this.#chunkUsed = 0
    }
    const copy = this.#chunk.subarray(this.#chunkUsed, this.#chunkUsed + bytes.length)
    copy.set(bytes)
    this.#chunkUsed += bytes.length
    return copy
  }

  #failure(error: unknown): StoreError {
    if (error instanceof StoreError) return error
    return new StoreError(`the entity store in ${this.#path} failed: ${describe(error)}`, { cause: error })
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
