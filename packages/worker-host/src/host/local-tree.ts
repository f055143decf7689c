import { STOP, type ResolvedSupervision } from '@troupe/core/internal'
import type { HostDirective } from '../protocol/control.js'
import { Supervisor, type SupervisionTree } from '../system/supervisor.js'
import type { SystemEvent } from '../system/system-events.js'
import { envelope } from './envelope.js'
import type { LocalActors } from './local-actors.js'
import { LocalRecord, LocalRoot } from './local-record.js'
import type { ActorCell } from './actor-cell.js'
import { sleepOn, type Clock } from '../clock/clock.js'

/** What the local tree needs from its thread. */
export interface LocalTreeHost {
  readonly thread: number
  readonly clock: Clock
  readonly random: () => number
  readonly actors: LocalActors
  /** Carries out a directive on an actor of this thread (see `Host.supervise`). */
  supervise(id: number, directive: HostDirective, cause: Error): Promise<void>
  /** Creates a stopped actor of the local tree again, under its id. */
  recreate(record: LocalRecord, cause: Error): Promise<void>
  /** A failure escalated past the local tree: the root's own supervisor (main's) decides. */
  escalate(id: number, error: Error): void
  /** Stops the children main records for `parent`, which spawned them on other threads. */
  stopForeignChildren(parent: number): Promise<void>
  /** A failure, restart or supervised stop in the local tree, for the system's events. */
  publish(event: SystemEvent): void
  /** The actor main watches (or knows by name) has ended. */
  reportEnded(record: LocalRecord): void
}

/**
 * The children spawned on their parent's thread, supervised on that thread: a parent here
 * supervises, stops and restarts its colocated children without the main thread, which keeps
 * no record of them. The roots of the local tree (actors main records, with children here) are
 * known only as parents: how they supervise, and which children they have. A failure that
 * escalates past a root goes to main, whose supervisor decides about the root.
 *
 * Supervision is the same `Supervisor` main uses (strategies, intensity, backoff, escalation,
 * restart types), over this tree.
 */
/** `stopping` of a record whose stop was sent with nobody waiting (see `stopSoon`): never awaited. */
const STOP_SENT: Promise<void> = new Promise<void>(() => undefined)

export class LocalTree implements SupervisionTree<LocalRecord> {
  readonly #host: LocalTreeHost
  /**
   * Records whose actor has no cell here right now (its class is being loaded, it failed to
   * start, a permanent one is being re-created). Every other record hangs off its cell
   * (`ActorCell.localRecord`), so an actor costs no entry in a table of its own here.
   */
  readonly #detached = new Map<number, LocalRecord>()
  #size = 0
  readonly #roots = new Map<number, LocalRoot>()
  /** How each actor main records here supervises its children (set when it is created here). */
  readonly #rootSupervision = new Map<number, ResolvedSupervision>()
  /** The system's default supervision: a root's, when it was not told (the main thread's own actors). */
  readonly #guardian: ResolvedSupervision
  readonly supervisor: Supervisor<LocalRecord>

  constructor(host: LocalTreeHost, guardian: ResolvedSupervision) {
    this.#host = host
    this.#guardian = guardian
    this.supervisor = new Supervisor<LocalRecord>({
      directory: this,
      events: { publish: (event) => host.publish(event) },
      guardian,
      directive: (record, directive, cause) => host.supervise(record.id, directive, cause),
      recreate: (record, cause) => host.recreate(record, cause),
      escalateElsewhere: (parent, error) => host.escalate(parent, error),
      forgetStopped: (id) => {
        const record = this.get(id)
        if (record !== undefined) this.#forget(record)
      },
      stop: (id) => {
        const record = this.get(id)
        if (record) record.stoppedBySupervisor = true
        return this.stop(id)
      },
      // Never reached: a failure past a root escalates to main (`escalateElsewhere`).
      fatal: (error) => host.escalate(0, error),
      now: () => host.clock.now(),
      sleep: (ms) => sleepOn(host.clock, ms),
      random: () => host.random(),
    })
  }

  /** Actors of the local tree (alive or starting). */
  get size(): number {
    return this.#size
  }

  get(id: number): LocalRecord | undefined {
    return this.#host.actors.get(id)?.localRecord ?? this.#detached.get(id)
  }

  childrenOf(parent: number): readonly number[] {
    const children = this.get(parent)?.children ?? this.#roots.get(parent)?.children
    return children === undefined ? [] : [...children]
  }

  supervisionOf(parent: number): ResolvedSupervision | undefined {
    return this.get(parent)?.blueprint.supervision ?? this.#rootSupervision.get(parent)
  }

  /** An actor main records was created here: how it supervises the children it spawns here. */
  addRoot(id: number, supervision: ResolvedSupervision): void {
    this.#rootSupervision.set(id, supervision)
  }

  /**
   * A child spawned here by `record.parent`, an actor of this thread. With its cell (the common
   * case) the record hangs off the cell; without one yet, it waits detached until `attach`.
   */
  add(record: LocalRecord, cell?: ActorCell): void {
    if (cell !== undefined) cell.localRecord = record
    else this.#detached.set(record.id, record)
    this.#size++
    const parent = this.get(record.parent)
    if (parent !== undefined) parent.addChild(record.id)
    else this.#rootOf(record.parent).children.add(record.id)
  }

  /** The actor's cell now exists (its class was loaded, or it was re-created). */
  attach(record: LocalRecord, cell: ActorCell): void {
    cell.localRecord = record
    this.#detached.delete(record.id)
  }

  /** Its cell is going away but the record is still needed (a failed start stopping its children). */
  detach(record: LocalRecord): void {
    this.#detached.set(record.id, record)
  }

  #rootOf(id: number): LocalRoot {
    let root = this.#roots.get(id)
    if (root === undefined) {
      root = new LocalRoot(this.#rootSupervision.get(id) ?? this.#guardian)
      this.#roots.set(id, root)
    }
    return root
  }

  /**
   * Stops an actor of the local tree after the messages already in its mailbox: its children
   * first (see `beforeStop`). `exit`: it stops itself, and a `permanent` one is restarted.
   */
  stop(id: number, exit = false): Promise<void> {
    const record = this.get(id)
    if (record === undefined) return Promise.resolve()
    if (record.stopping === STOP_SENT) {
      // Stopped with `stopSoon` before, and now someone waits for it.
      record.stopping = new Promise<void>((resolve) => (record.ended = resolve))
      return record.stopping
    }
    if (record.stopping !== undefined) return record.stopping
    record.stopping = new Promise<void>((resolve) => (record.ended = resolve))
    this.#sendStop(record, exit)
    return record.stopping
  }

  /** Like `stop`, for `ctx.stop`, which does not wait: no promise is made unless someone waits later. */
  stopSoon(id: number, exit = false): void {
    const record = this.get(id)
    if (record === undefined || record.stopping !== undefined) return
    record.stopping = STOP_SENT
    this.#sendStop(record, exit)
  }

  #sendStop(record: LocalRecord, exit: boolean): void {
    record.exiting = exit
    this.#host.actors.deliver(record.id, envelope(0, this.#host.thread, 0, STOP, undefined))
  }

  /**
   * An actor of this thread is about to stop: its children here stop first, in reverse start
   * order (OTP), then those it spawned on other threads. Undefined when it has none (most).
   */
  beforeStop(id: number): Promise<void> | undefined {
    const record = this.get(id)
    const children = record?.children ?? this.#roots.get(id)?.children
    const local = children !== undefined && (record === undefined ? (children as Set<number>).size > 0 : record.hasChildren)
    if (!local && !record?.foreignChildren) return undefined
    return this.#stopChildren(id, record)
  }

  async #stopChildren(id: number, record: LocalRecord | undefined): Promise<void> {
    for (const child of [...this.childrenOf(id)].reverse()) await this.stop(child)
    if (record?.foreignChildren) {
      record.foreignChildren = false
      await this.#host.stopForeignChildren(id)
    }
  }

  /** Before a restart (ordered here or by main): the actor's children stop, as Akka does. */
  stopChildren(id: number): Promise<void> {
    return this.beforeStop(id) ?? Promise.resolve()
  }

  /** An actor of this thread ended (stopped, or failed to start); `record`: its record, if local. */
  ended(id: number, record: LocalRecord | undefined): void {
    this.#rootSupervision.delete(id)
    this.#roots.delete(id)
    if (record === undefined) return
    const restart = record.exiting && record.blueprint.restart === 'permanent'
    if (restart) {
      // Kept, detached, until its supervisor re-creates it (or gives up and forgets it).
      this.#detached.set(id, record)
      record.stopping = undefined
      record.exiting = false
      const ended = record.ended
      record.ended = undefined
      ended?.()
      void this.supervisor.childExited(id)
      return
    }
    this.#forget(record)
    if (record.stoppedBySupervisor) this.#host.publish({ type: 'actor-stopped', actor: id })
    record.ended?.()
  }

  #forget(record: LocalRecord): void {
    const { id } = record
    this.#detached.delete(id)
    this.#size--
    this.supervisor.forget(id)
    const parent = this.get(record.parent)
    if (parent !== undefined) parent.removeChild(id)
    else {
      const root = this.#roots.get(record.parent)
      root?.children.delete(id)
      if (root !== undefined && root.children.size === 0) this.#roots.delete(record.parent)
    }
    if (record.reported) this.#host.reportEnded(record)
  }

  /** An actor of the local tree failed: its parent here decides. */
  failed(id: number, error: Error): void {
    void this.supervisor.childFailed(id, error)
  }
}
