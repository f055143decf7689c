import { InvalidOptionError, StoreConflictError, type Actor } from '@troupe/core'
import { PENDING_EVENTS, decodeValue } from '@troupe/core/internal'
import type { StoredEvent, StoredSnapshot } from '../persistence/store/entity-store.js'
import type { EntityKind, Keeper } from './entity-activation.js'
import { encodeForStore } from './state-bytes.js'

type Instance = Actor & {
  state?: unknown
  [PENDING_EVENTS]?: unknown[]
  applyEvent(state: unknown, event: unknown): unknown
  upcastEvent?(event: unknown, version: number): unknown
}

const DEFAULT_SNAPSHOT_EVERY = 100

/**
 * An event-sourced entity's journal (Akka Persistence): the events a message persisted are
 * appended when it ends, all or none, after the sequence number last seen (a stale activation
 * gets a `StoreConflictError`). Each event is stored as `[eventVersion, event]`. Every
 * `snapshotEvery` events the state is saved as a snapshot, so recovery replays at most that many.
 */
export class JournalKeeper implements Keeper {
  readonly #entity: EntityKind
  readonly #storeId: string
  readonly #snapshotEvery: number
  readonly #eventVersion: number
  /** The highest sequence number in the journal. */
  #seq = 0
  #snapshotSeq = 0
  /** The state as last committed, for a failed message to go back to (in memory only). */
  #committed: Uint8Array | undefined
  /** The state of an entity with an empty journal (its class's initial value). */
  #initial: Uint8Array | undefined
  /** What `load` read, replayed by the first `restore`. */
  #replay: { snapshot: StoredSnapshot | undefined; events: StoredEvent[] } | undefined

  constructor(entity: EntityKind, storeId: string) {
    this.#entity = entity
    this.#storeId = storeId
    const statics = entity.entityClass as unknown as { snapshotEvery?: unknown; eventVersion?: unknown }
    this.#snapshotEvery = positive(`${entity.entityClass.name}.snapshotEvery`, statics.snapshotEvery, DEFAULT_SNAPSHOT_EVERY)
    this.#eventVersion = positive(`${entity.entityClass.name}.eventVersion`, statics.eventVersion, 1)
  }

  async load(): Promise<void> {
    const { store } = this.#entity
    const storeId = this.#storeId
    const snapshot = await store.loadSnapshot(storeId)
    const events = await store.read(storeId, (snapshot?.seq ?? 0) + 1)
    this.#seq = Math.max(await store.highestSeq(storeId), snapshot?.seq ?? 0)
    this.#snapshotSeq = snapshot?.seq ?? 0
    this.#replay = { snapshot, events }
  }

  restore(target: object): void {
    const instance = target as Instance
    const { runtime, maxMessageBytes } = this.#entity
    const storeId = this.#storeId
    instance[PENDING_EVENTS] = undefined
    this.#initial ??= encodeForStore(storeId, instance.state, maxMessageBytes)
    const replay = this.#replay
    if (replay !== undefined) {
      this.#replay = undefined
      let state = replay.snapshot === undefined ? decodeValue(this.#initial, runtime) : decodeValue(replay.snapshot.state, runtime)
      for (const stored of replay.events) {
        const [version, event] = decodeValue(stored.event, runtime) as [number, unknown]
        state = instance.applyEvent(state, version < this.#eventVersion && instance.upcastEvent ? instance.upcastEvent(event, version) : event)
      }
      instance.state = state
      this.#committed = encodeForStore(storeId, state, maxMessageBytes)
    } else if (this.#committed !== undefined) instance.state = decodeValue(this.#committed, runtime)
    else this.#committed = encodeForStore(storeId, instance.state, maxMessageBytes)
  }

  commit(target: object): Promise<void> | undefined {
    const instance = target as Instance
    const pending = instance[PENDING_EVENTS]
    instance[PENDING_EVENTS] = undefined
    if (pending === undefined || pending.length === 0) return undefined
    const { store, maxMessageBytes } = this.#entity
    const storeId = this.#storeId
    let events: Uint8Array[]
    let state: Uint8Array
    try {
      events = pending.map((event) => encodeForStore(storeId, [this.#eventVersion, event], maxMessageBytes))
      state = encodeForStore(storeId, instance.state, maxMessageBytes)
    } catch (error) {
      this.revert(instance)
      throw error
    }
    return store.append(storeId, events, this.#seq).then(
      (seq) => {
        this.#seq = seq
        this.#committed = state
        if (seq - this.#snapshotSeq < this.#snapshotEvery) return undefined
        const previous = this.#snapshotSeq
        this.#snapshotSeq = seq
        // The events are in the journal: the message succeeded. A snapshot only shortens replays,
        // so one that fails is tried again at the next message, and fails nothing.
        return store.saveSnapshot(storeId, seq, state).catch(() => void (this.#snapshotSeq = previous))
      },
      async (error: unknown) => {
        if (error instanceof StoreConflictError) {
          // Another writer appended first: replay what it wrote, and go on from its sequence number.
          await this.load().catch(() => undefined)
          if (this.#replay !== undefined) this.restore(instance)
        } else this.revert(instance)
        throw error
      },
    )
  }

  revert(target: object): void {
    const instance = target as Instance
    instance[PENDING_EVENTS] = undefined
    if (this.#committed !== undefined) instance.state = decodeValue(this.#committed, this.#entity.runtime)
  }
}

function positive(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  throw new InvalidOptionError(option, 'an integer of 1 or more', value)
}
