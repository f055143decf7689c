import { ActorNameTakenError, type AskErrorPolicy, type DeliveryGuarantee, type ReentrancyMode, type RestartType } from '@troupe/core'
import { creditWindow, type ResolvedMailbox, type ResolvedSupervision } from '@troupe/core/internal'
import type { RefInfo } from '../protocol/control.js'

/** How an actor was created, so it can be created again (after its worker died). */
export interface ActorBlueprint {
  readonly module: string
  readonly export: string
  readonly args: Uint8Array | undefined
  readonly restart: RestartType
  /** How this actor supervises its children. */
  readonly supervision: ResolvedSupervision
  readonly mailbox: ResolvedMailbox
  readonly handlerTimeoutMs: number | undefined
  /** What happens to its unprocessed messages when its worker dies. */
  readonly delivery: DeliveryGuarantee
  readonly askErrors: AskErrorPolicy
  readonly reentrancy: ReentrancyMode
}

export interface ActorRecord {
  readonly id: number
  thread: number
  readonly name: string | undefined
  /** 0 for top-level actors (children of the system guardian). */
  readonly parent: number
  /** In start order: OTP stops children in reverse start order. */
  readonly children: number[]
  /** Replaced (never mutated) when a re-creation must use other arguments. */
  blueprint: ActorBlueprint
  stopping: Promise<void> | undefined
  /** Its worker died and it has not been re-created yet. */
  lost: boolean
  /** Supervision bookkeeping: restarts so far, and the backoff schedule. */
  restarts: number
  backoffAttempt: number
  lastRestartAt: number
}

/** Where an actor lives, as a host needs it to build a ref (`workers`: the system's worker count). */
export function refInfo(record: ActorRecord, workers: number): RefInfo {
  return { id: record.id, thread: record.thread, name: record.name, window: creditWindow(record.blueprint.mailbox, workers + 1) }
}

/**
 * The main thread's router: which thread hosts each actor, the names, and the parent/child
 * tree. Ids are allocated here and never reused, so a stale ref can never reach a new actor.
 */
export class Directory {
  #nextId = 1
  readonly #records = new Map<number, ActorRecord>()
  readonly #names = new Map<string, number>()
  readonly #topLevel: number[] = []

  /** Actors recorded (alive, starting or being restored). */
  get size(): number {
    return this.#records.size
  }

  /** Names registered. */
  get names(): number {
    return this.#names.size
  }

  allocateId(): number {
    return this.#nextId++
  }

  /** Adds an actor before it starts, so it can spawn children from `onStart`. */
  add(id: number, thread: number, name: string | undefined, parent: number, blueprint: ActorBlueprint): ActorRecord {
    if (name !== undefined) {
      if (this.#names.has(name)) throw new ActorNameTakenError(name)
      this.#names.set(name, id)
    }
    const record: ActorRecord = { id, thread, name, parent, children: [], blueprint, stopping: undefined, lost: false, restarts: 0, backoffAttempt: 0, lastRestartAt: 0 }
    this.#records.set(id, record)
    this.#siblings(parent)?.push(id)
    return record
  }

  remove(id: number): void {
    const record = this.#records.get(id)
    if (!record) return
    this.#records.delete(id)
    if (record.name !== undefined && this.#names.get(record.name) === id) this.#names.delete(record.name)
    const siblings = this.#siblings(record.parent)
    const index = siblings?.indexOf(id) ?? -1
    if (index >= 0) siblings!.splice(index, 1)
  }

  get(id: number): ActorRecord | undefined {
    return this.#records.get(id)
  }

  byName(name: string): ActorRecord | undefined {
    const id = this.#names.get(name)
    return id === undefined ? undefined : this.#records.get(id)
  }

  /** Top-level actors in start order. */
  topLevel(): readonly number[] {
    return this.#topLevel
  }

  /** The children of `parent` (0: the guardian) in start order. */
  childrenOf(parent: number): readonly number[] {
    return this.#siblings(parent) ?? []
  }

  onThread(thread: number): ActorRecord[] {
    return [...this.#records.values()].filter((record) => record.thread === thread)
  }

  #siblings(parent: number): number[] | undefined {
    return parent === 0 ? this.#topLevel : this.#records.get(parent)?.children
  }
}
