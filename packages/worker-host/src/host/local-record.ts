import type { Actor, ActorContext, AskErrorPolicy, ReentrancyMode, RestartType } from '@troupe/core'
import { constructWithContext, type ResolvedMailbox, type ResolvedSupervision } from '@troupe/core/internal'
import type { SupervisedRecord } from '../system/supervisor.js'
import type { InstanceFactory } from './actor-cell.js'
import type { LoadedActorClass } from './module-registry.js'

/**
 * How a child spawned on its parent's thread is made, besides its constructor arguments. Spawns
 * without options share one per class (see `LocalSpawner`), so an actor costs no copy of it.
 */
export interface LocalBlueprint {
  /** The thread whose spawner made it (its actors live there). */
  readonly thread: number
  /** Undefined until the class has been found (spawned by module URL, not loaded here yet). */
  actorClass: LoadedActorClass | undefined
  /** Set once the class has been located (with `actorClass`). */
  module: string
  export: string
  readonly restart: RestartType
  /** How this actor supervises its own children. */
  readonly supervision: ResolvedSupervision
  readonly mailbox: ResolvedMailbox
  readonly handlerTimeoutMs: number | undefined
  readonly askErrors: AskErrorPolicy
  readonly reentrancy: ReentrancyMode
}

const NO_CHILDREN: readonly number[] = []
const REPORTED = 1
const FOREIGN_CHILDREN = 2
const EXITING = 4
const STOPPED_BY_SUPERVISOR = 8

/**
 * An actor of this thread's local tree (spawned here by an actor of this thread), as its
 * supervisor here sees it. Its children are kept in a set made on the first one: most actors
 * have none, and a parent of a million children removes each in constant time.
 */
export class LocalRecord implements SupervisedRecord, InstanceFactory {
  children: Iterable<number> = NO_CHILDREN
  stopping: Promise<void> | undefined = undefined
  /** Resolves `stopping` once the actor has ended. */
  ended: (() => void) | undefined = undefined
  // Rarely set, so packed: a million idle actors should cost as little as possible each.
  #flags = 0
  /** Restart bookkeeping, made on the first restart. */
  #restarts: { restarts: number; backoffAttempt: number; lastRestartAt: number } | undefined = undefined

  constructor(
    readonly id: number,
    readonly parent: number,
    readonly name: string | undefined,
    readonly blueprint: LocalBlueprint,
    readonly args: readonly unknown[],
  ) {}

  get thread(): number {
    return this.blueprint.thread
  }

  /** Main watches it (or holds its name): its end is reported there. */
  get reported(): boolean {
    return (this.#flags & REPORTED) !== 0
  }
  set reported(on: boolean) {
    this.#flag(REPORTED, on)
  }

  /** It spawned children on other threads, which main records: they stop with it. */
  get foreignChildren(): boolean {
    return (this.#flags & FOREIGN_CHILDREN) !== 0
  }
  set foreignChildren(on: boolean) {
    this.#flag(FOREIGN_CHILDREN, on)
  }

  /** It is stopping itself: a `permanent` actor is restarted after. */
  get exiting(): boolean {
    return (this.#flags & EXITING) !== 0
  }
  set exiting(on: boolean) {
    this.#flag(EXITING, on)
  }

  /** Its supervisor stopped it: its end is an event. */
  get stoppedBySupervisor(): boolean {
    return (this.#flags & STOPPED_BY_SUPERVISOR) !== 0
  }
  set stoppedBySupervisor(on: boolean) {
    this.#flag(STOPPED_BY_SUPERVISOR, on)
  }

  #flag(bit: number, on: boolean): void {
    this.#flags = on ? this.#flags | bit : this.#flags & ~bit
  }

  get restarts(): number {
    return this.#restarts?.restarts ?? 0
  }
  set restarts(value: number) {
    this.#restartState().restarts = value
  }
  get backoffAttempt(): number {
    return this.#restarts?.backoffAttempt ?? 0
  }
  set backoffAttempt(value: number) {
    this.#restartState().backoffAttempt = value
  }
  get lastRestartAt(): number {
    return this.#restarts?.lastRestartAt ?? 0
  }
  set lastRestartAt(value: number) {
    this.#restartState().lastRestartAt = value
  }

  #restartState(): { restarts: number; backoffAttempt: number; lastRestartAt: number } {
    return (this.#restarts ??= { restarts: 0, backoffAttempt: 0, lastRestartAt: 0 })
  }

  /** A fresh instance of its class, with its constructor arguments (the record is its cell's factory). */
  create(context: ActorContext): Actor {
    const actorClass = this.blueprint.actorClass!
    return constructWithContext(context, () => new actorClass(...this.args))
  }

  addChild(id: number): void {
    if (this.children === NO_CHILDREN) this.children = new Set<number>()
    ;(this.children as Set<number>).add(id)
  }

  removeChild(id: number): void {
    if (this.children !== NO_CHILDREN) (this.children as Set<number>).delete(id)
  }

  get hasChildren(): boolean {
    return this.children !== NO_CHILDREN && (this.children as Set<number>).size > 0
  }
}

/**
 * An actor of this thread that main records (top-level, or spawned from another thread) and
 * that has children in the local tree: how it supervises them, and which they are.
 */
export class LocalRoot {
  readonly children = new Set<number>()
  constructor(readonly supervision: ResolvedSupervision) {}
}
