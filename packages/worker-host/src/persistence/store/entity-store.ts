/**
 * The entity store: where entities keep their durable state, their event journals and snapshots,
 * and their reminders. One interface, kept small (DESIGN §9), with one conformance suite every
 * implementation passes (`test/persistence/store.conformance.test.ts`): LMDB (the embedded
 * default), in memory (tests), and NATS JetStream KV (`nats-store.ts`: shared by the nodes of a
 * cluster).
 *
 * Values are opaque bytes (msgpack, encoded by the caller); the store never decodes them.
 * Reads and writes are asynchronous so that a networked store fits the same interface; an
 * embedded one may answer reads from memory-mapped pages and batch many writes into one
 * transaction (group commit), as long as a write's promise resolves only once it is durable to
 * the level the store was opened with.
 *
 * Ids are strings chosen by the caller (`<entity type>/<key>`); the store keeps state, journal,
 * snapshot and reminders of one id apart, so one id can have all four.
 */
export interface EntityStore {
  /** The latest durable state of `id` and its revision (1 after the first write), or undefined. */
  load(id: string): Promise<StoredState | undefined>
  /**
   * Writes `state` as the next revision of `id`, if its current revision is `expectedRevision`
   * (0: it must not exist yet). Resolves with the new revision. Rejects with
   * `StoreConflictError` (and writes nothing) when the revision differs.
   */
  upsert(id: string, state: Uint8Array, expectedRevision: number): Promise<number>
  /**
   * Deletes the state, journal and snapshot of `id` (not its reminders). With `expectedRevision`,
   * only if the state is at that revision (else `StoreConflictError`). Deleting what does not
   * exist is not an error.
   */
  delete(id: string, expectedRevision?: number): Promise<void>

  /**
   * Appends `events` to `id`'s journal after sequence number `expectedSeq` (0: the journal must be
   * empty), numbering them `expectedSeq + 1…`; all or none. Resolves with the new highest
   * sequence number. Rejects with `StoreConflictError` (and appends nothing) when the journal's
   * highest sequence number is not `expectedSeq`.
   */
  append(id: string, events: readonly Uint8Array[], expectedSeq: number): Promise<number>
  /** The events of `id` with `from <= seq <= to` (to: the end), in order. */
  read(id: string, from: number, to?: number): Promise<StoredEvent[]>
  /** The highest sequence number in `id`'s journal; 0 when it is empty. */
  highestSeq(id: string): Promise<number>
  /**
   * Keeps `state` as the snapshot of `id` at sequence number `seq` (replacing an older one;
   * an older `seq` than the kept snapshot's is ignored). Events up to `seq` may then be
   * removed from the journal (`highestSeq` still reports the highest ever appended).
   */
  saveSnapshot(id: string, seq: number, state: Uint8Array): Promise<void>
  /** The latest snapshot of `id`, or undefined. */
  loadSnapshot(id: string): Promise<StoredSnapshot | undefined>

  /** Creates or replaces reminder `reminder.name` of `reminder.id`. */
  putReminder(reminder: StoredReminder): Promise<void>
  /** Removes a reminder; removing one that does not exist is not an error. */
  deleteReminder(id: string, name: string): Promise<void>
  /** Every stored reminder (of every id), for the reminder service to load at start. */
  reminders(): Promise<StoredReminder[]>

  /** Makes every write that resolved durable and releases the store. Later calls reject with `StoreError`. Idempotent. */
  close(): Promise<void>
}

export interface StoredState {
  readonly state: Uint8Array
  readonly revision: number
}

export interface StoredEvent {
  readonly seq: number
  readonly event: Uint8Array
}

export interface StoredSnapshot {
  readonly seq: number
  readonly state: Uint8Array
}

/** A durable timer of an entity (`ctx.remind`). */
export interface StoredReminder {
  /** The entity's store id (`<entity type>/<key>`). */
  readonly id: string
  readonly name: string
  /** When it is due next, in ms since the epoch. */
  readonly dueAt: number
  /** Repeats every `periodMs` after it fired; absent for a one-shot reminder. */
  readonly periodMs?: number
}
