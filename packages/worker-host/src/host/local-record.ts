import type { AskErrorPolicy, ReentrancyMode, RestartType } from '@troupe/core'
import type { ResolvedMailbox, ResolvedSupervision } from '@troupe/core/internal'
import type { SupervisedRecord } from '../system/supervisor.js'
import type { LoadedActorClass } from './module-registry.js'

/**
 * How a child spawned on its parent's thread is made, besides its constructor arguments. Spawns
 * without options share one per class (see `LocalSpawner`), so an actor costs no copy of it.
 */
export interface LocalBlueprint {
  /** Undefined until the class has been found (spawned by module URL, not loaded here yet). */
  actorClass: LoadedActorClass | undefined
  readonly module: string
  readonly export: string
  readonly restart: RestartType
  /** How this actor supervises its own children. */
  readonly supervision: ResolvedSupervision
  readonly mailbox: ResolvedMailbox
  readonly handlerTimeoutMs: number | undefined
  readonly askErrors: AskErrorPolicy
  readonly reentrancy: ReentrancyMode
}

const NO_CHILDREN: readonly number[] = []

/**
 * An actor of this thread's local tree (spawned here by an actor of this thread), as its
 * supervisor here sees it. Its children are kept in a set made on the first one: most actors
 * have none, and a parent of a million children removes each in constant time.
 */
export class LocalRecord implements SupervisedRecord {
  children: Iterable<number> = NO_CHILDREN
  stopping: Promise<void> | undefined = undefined
  restarts = 0
  backoffAttempt = 0
  lastRestartAt = 0
  /** Resolves `stopping` once the actor has ended. */
  ended: (() => void) | undefined = undefined
  /** Main watches it (or holds its name): its end is reported there. */
  reported = false
  /** It spawned children on other threads, which main records: they stop with it. */
  foreignChildren = false
  /** It is stopping itself: a `permanent` actor is restarted after. */
  exiting = false
  /** Its supervisor stopped it: its end is an event. */
  stoppedBySupervisor = false

  constructor(
    readonly id: number,
    readonly thread: number,
    readonly parent: number,
    readonly name: string | undefined,
    readonly blueprint: LocalBlueprint,
    readonly args: readonly unknown[],
  ) {}

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
