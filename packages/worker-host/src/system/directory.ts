import { ActorNameTakenError, type AskErrorPolicy, type DeliveryGuarantee, type ReentrancyMode, type RestartType } from '@troupe/core'
import { creditWindow, type ResolvedMailbox, type ResolvedSupervision } from '@troupe/core/internal'
import type { RefInfo } from '../protocol/control.js'
import type { ActorIds } from '../host/actor-ids.js'
import type { SupervisionTree } from './supervisor.js'

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
  /** In start order (a set keeps it, and forgets one in constant time): OTP stops children in reverse start order. */
  readonly children: Set<number>
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
 * An actor of a thread's local tree that spawned children on other threads: main supervises
 * those children with its options, and stops them when it stops (its thread tells main).
 */
interface ForeignParent {
  readonly thread: number
  /** Its ref, for its children's `ctx.parent`. */
  readonly ref: RefInfo
  readonly supervision: ResolvedSupervision
  readonly children: Set<number>
}

/**
 * The main thread's part of the actor tree: the actors main records (top-level ones, and those
 * spawned across threads, which main must re-create when their worker dies), where they live,
 * and every registered name. Children spawned on their parent's thread are recorded by that
 * thread alone (its local tree), so nothing here grows with them.
 */
export class Directory implements SupervisionTree<ActorRecord> {
  readonly #ids: ActorIds
  readonly #records = new Map<number, ActorRecord>()
  readonly #names = new Map<string, number>()
  /** Names of actors of local trees: registered here, the actors recorded by their threads. */
  readonly #localNames = new Map<string, RefInfo>()
  readonly #foreignParents = new Map<number, ForeignParent>()
  readonly #topLevel = new Set<number>()

  /** `ids`: the main thread's allocator (shared with its host, so no id is allocated twice). */
  constructor(ids: ActorIds) {
    this.#ids = ids
  }

  /** Actors recorded (alive, starting or being restored). */
  get size(): number {
    return this.#records.size
  }

  /** Names registered. */
  get names(): number {
    return this.#names.size + this.#localNames.size
  }

  allocateId(): number {
    return this.#ids.allocate()
  }

  /** Adds an actor before it starts, so it can spawn children from `onStart`. */
  add(id: number, thread: number, name: string | undefined, parent: number, blueprint: ActorBlueprint): ActorRecord {
    if (name !== undefined) {
      if (this.#names.has(name) || this.#localNames.has(name)) throw new ActorNameTakenError(name)
      this.#names.set(name, id)
    }
    const record: ActorRecord = { id, thread, name, parent, children: new Set(), blueprint, stopping: undefined, lost: false, restarts: 0, backoffAttempt: 0, lastRestartAt: 0 }
    this.#records.set(id, record)
    this.#siblings(parent)?.add(id)
    return record
  }

  remove(id: number): void {
    const record = this.#records.get(id)
    if (!record) return
    this.#records.delete(id)
    if (record.name !== undefined && this.#names.get(record.name) === id) this.#names.delete(record.name)
    this.#siblings(record.parent)?.delete(id)
  }

  get(id: number): ActorRecord | undefined {
    return this.#records.get(id)
  }

  byName(name: string): ActorRecord | undefined {
    const id = this.#names.get(name)
    return id === undefined ? undefined : this.#records.get(id)
  }

  /** Where the actor of `name` lives, whoever records it. */
  lookup(name: string, workers: number): RefInfo | undefined {
    const record = this.byName(name)
    return record ? refInfo(record, workers) : this.#localNames.get(name)
  }

  /** Registers the name of an actor of a thread's local tree. */
  registerLocalName(info: RefInfo): void {
    const name = info.name!
    if (this.#names.has(name) || this.#localNames.has(name)) throw new ActorNameTakenError(name)
    this.#localNames.set(name, info)
  }

  releaseLocalName(name: string, id: number): void {
    if (this.#localNames.get(name)?.id === id) this.#localNames.delete(name)
  }

  /**
   * An actor of `thread`'s local tree spawns a child on another thread: main records the child
   * and supervises it with the parent's options.
   */
  addForeignParent(id: number, ref: RefInfo, supervision: ResolvedSupervision): void {
    if (!this.#foreignParents.has(id)) this.#foreignParents.set(id, { thread: ref.thread, ref, supervision, children: new Set() })
  }

  /** The ref of `parent` as its children see it, whoever records it. */
  parentRef(parent: number, workers: number): RefInfo | undefined {
    const record = this.#records.get(parent)
    return record ? refInfo(record, workers) : this.#foreignParents.get(parent)?.ref
  }

  foreignParent(id: number): { readonly thread: number } | undefined {
    return this.#foreignParents.get(id)
  }

  forgetForeignParent(id: number): void {
    this.#foreignParents.delete(id)
  }

  /** Everything of `thread`'s local tree that main knows: its names and foreign parents (the thread died). */
  forgetLocalTree(thread: number): number[] {
    for (const [name, info] of this.#localNames) if (info.thread === thread) this.#localNames.delete(name)
    const parents: number[] = []
    for (const [id, parent] of this.#foreignParents) if (parent.thread === thread) parents.push(id)
    return parents
  }

  supervisionOf(parent: number): ResolvedSupervision | undefined {
    return this.#records.get(parent)?.blueprint.supervision ?? this.#foreignParents.get(parent)?.supervision
  }

  /** Top-level actors in start order. */
  topLevel(): readonly number[] {
    return [...this.#topLevel]
  }

  /** The children of `parent` (0: the guardian) in start order. */
  childrenOf(parent: number): readonly number[] {
    const siblings = this.#siblings(parent)
    return siblings === undefined ? [] : [...siblings]
  }

  /** The thread of an actor recorded here without children of its own (see `stopInReverse`). */
  leafThread(id: number): number | undefined {
    const record = this.#records.get(id)
    return record !== undefined && record.children.size === 0 ? record.thread : undefined
  }

  onThread(thread: number): ActorRecord[] {
    return [...this.#records.values()].filter((record) => record.thread === thread)
  }

  #siblings(parent: number): Set<number> | undefined {
    return parent === 0 ? this.#topLevel : (this.#records.get(parent)?.children ?? this.#foreignParents.get(parent)?.children)
  }
}
