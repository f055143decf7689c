import { StoreConflictError, type Actor } from '@troupe/core'
import { decodeValue, encodeValue } from '@troupe/core/internal'
import type { EntityKind, Keeper } from './entity-activation.js'
import { encodeForStore, sameBytes } from './state-bytes.js'

type Instance = Actor & { state?: unknown }

/**
 * Durable state (Orleans' grain state, Dapr's actor state): the whole `state`, written at the end
 * of each message that changed it, under the revision it was read at (so a stale activation gets
 * a `StoreConflictError`, never overwrites). A message that leaves it as it was writes nothing.
 */
export class SnapshotKeeper implements Keeper {
  readonly #entity: EntityKind
  readonly #storeId: string
  /** The state's bytes as last committed (or loaded); undefined: never stored. */
  #committed: Uint8Array | undefined
  #revision = 0
  /** The initial state's bytes, while the entity was never stored: leaving it so writes nothing. */
  #initial: Uint8Array | undefined

  constructor(entity: EntityKind, storeId: string) {
    this.#entity = entity
    this.#storeId = storeId
  }

  async load(): Promise<void> {
    const stored = await this.#entity.store.load(this.#storeId)
    this.#committed = stored?.state
    this.#revision = stored?.revision ?? 0
  }

  restore(target: object): void {
    const instance = target as Instance
    if (this.#committed !== undefined) instance.state = decodeValue(this.#committed, this.#entity.runtime)
    else if (this.#initial === undefined) {
      try {
        this.#initial = encodeValue(instance.state)
      } catch {
        this.#initial = undefined // it fails at its first commit, clearly
      }
    }
  }

  commit(target: object): Promise<void> | undefined {
    const instance = target as Instance
    const { store, maxMessageBytes } = this.#entity
    const storeId = this.#storeId
    let bytes: Uint8Array
    try {
      bytes = encodeForStore(storeId, instance.state, maxMessageBytes)
    } catch (error) {
      this.revert(instance)
      throw error
    }
    const last = this.#committed ?? this.#initial
    if (last !== undefined && sameBytes(bytes, last)) return undefined
    return store.upsert(storeId, bytes, this.#revision).then(
      (revision) => {
        this.#revision = revision
        this.#committed = bytes
      },
      async (error: unknown) => {
        // Another writer got there first: go on from what it wrote, not from a stale revision
        // that would conflict at every later commit.
        if (error instanceof StoreConflictError) await this.load().catch(() => undefined)
        this.revert(instance)
        throw error
      },
    )
  }

  revert(target: object): void {
    const instance = target as Instance
    const last = this.#committed ?? this.#initial
    if (last !== undefined) instance.state = decodeValue(last, this.#entity.runtime)
  }
}
