import { stopInReverse } from './stop-order.js'
import { SupervisionError, WorkerCrashedError, type Directive, type RestartType } from '@troupe/core'
import { backoffDelay, decide, RestartIntensity, type ResolvedSupervision } from '@troupe/core/internal'
import type { HostDirective } from '../protocol/control.js'
import type { SystemEvent } from './system-events.js'

/** An actor as a supervisor sees it: where it is in the tree, and its restart bookkeeping. */
export interface SupervisedRecord {
  readonly id: number
  readonly thread: number
  /** 0 for top-level actors (children of the system guardian). */
  readonly parent: number
  /** In start order: OTP stops children in reverse start order. */
  readonly children: Iterable<number>
  readonly blueprint: { readonly restart: RestartType; readonly supervision: ResolvedSupervision }
  stopping: Promise<void> | undefined
  restarts: number
  backoffAttempt: number
  lastRestartAt: number
}

/**
 * The part of the actor tree one supervisor decides for: main's directory (top-level actors and
 * actors spawned across threads), or a thread's local tree (children spawned on their parent's
 * thread). A parent may be known here only as a parent (a root of the local tree, or an actor of
 * another thread's local tree with children here): `get` has no record of it, but
 * `supervisionOf` and `childrenOf` answer for it.
 */
export interface SupervisionTree<R extends SupervisedRecord = SupervisedRecord> {
  get(id: number): R | undefined
  /** The children of `parent` known here (0: the guardian), in start order. */
  childrenOf(parent: number): readonly number[]
  /** How `parent` supervises its children, when it is known here. */
  supervisionOf(parent: number): ResolvedSupervision | undefined
}

/** What the supervisor needs from the system (or from a thread, for its local tree). */
export interface SupervisorDeps<R extends SupervisedRecord = SupervisedRecord> {
  readonly directory: SupervisionTree<R>
  readonly events: { publish(event: SystemEvent): void }
  /** How the system guardian supervises top-level actors. */
  readonly guardian: ResolvedSupervision
  /** Carries out a directive on the thread hosting the actor. */
  directive(record: R, directive: HostDirective, cause: Error): Promise<void>
  /** Creates a stopped actor again under the same id, on its thread. */
  recreate(record: R, cause: Error): Promise<void>
  /**
   * A failure escalated to a parent this tree has no record of: its own supervisor, elsewhere,
   * decides (main's, for the root of a local tree; a thread's, for an actor of its local tree).
   */
  escalateElsewhere(parent: number, error: Error): void
  /** Forgets an actor that stopped and will not come back. */
  forgetStopped(id: number): void
  /** Stops an actor and its subtree. */
  stop(id: number): Promise<void>
  /** The thread of an actor without recorded children, so siblings' stops can travel together (see `stopInReverse`); none: one at a time. */
  leafThread?(id: number): number | undefined
  /** The guardian gave up: the system must shut down with this error. */
  fatal(error: SupervisionError): void
  now(): number
  sleep(ms: number): Promise<void>
  /** 0..1, for backoff jitter (seeded in the test kit's deterministic mode). Default `Math.random`. */
  random?(): number
}

/**
 * Decides what happens to failed actors, on the main thread, which owns the tree. A failure is
 * handled by the failed actor's parent (the guardian for top-level actors) with the parent's
 * options: the decider picks a directive; a restart applies the strategy (one-for-one,
 * one-for-all, rest-for-one), counts against the parent's restart intensity and may wait for a
 * backoff delay. A parent that exceeds its intensity stops its children and fails in turn, up
 * to the guardian, whose failure is fatal to the system.
 *
 * Failures under one supervisor are handled one at a time, in order, so two siblings failing
 * together cannot interleave their restarts.
 */
export class Supervisor<R extends SupervisedRecord = SupervisedRecord> {
  readonly #deps: SupervisorDeps<R>
  readonly #intensity = new Map<number, RestartIntensity>()
  readonly #queues = new Map<number, Promise<void>>()

  constructor(deps: SupervisorDeps<R>) {
    this.#deps = deps
  }

  /** Supervisors with restart bookkeeping or queued failures (for `stats()`). */
  get tracked(): number {
    return this.#intensity.size + this.#queues.size
  }

  /** An actor failed (a handler or hook threw, or its worker died). */
  childFailed(id: number, error: Error): Promise<void> {
    const record = this.#deps.directory.get(id)
    if (!record) return Promise.resolve()
    return this.#serialize(record.parent, () => this.#handle(id, error))
  }

  /**
   * Actors whose worker died. Each supervisor handles its lost children as one failure: one
   * crash counts once against its intensity, however many children it took. A dead instance
   * cannot resume, so `resume` restarts it.
   */
  async childrenLost(ids: readonly number[], error: Error): Promise<void> {
    const bySupervisor = new Map<number, number[]>()
    for (const id of ids) {
      const record = this.#deps.directory.get(id)
      if (record) bySupervisor.set(record.parent, [...(bySupervisor.get(record.parent) ?? []), id])
    }
    await Promise.all([...bySupervisor].map(([supervisor, lost]) => this.#serialize(supervisor, () => this.#handleLost(supervisor, lost, error))))
  }

  async #handleLost(supervisor: number, ids: number[], error: Error): Promise<void> {
    const options = this.#optionsOf(supervisor)
    const failed: R[] = []
    for (const id of ids) {
      const record = this.#deps.directory.get(id)
      if (!record || record.stopping) continue
      let directive: Directive = decide(options.decider, error as Error & { code?: unknown })
      if (directive === 'resume') directive = 'restart'
      if (directive === 'restart' && record.blueprint.restart === 'temporary') directive = 'stop'
      this.#deps.events.publish({ type: 'actor-failed', actor: id, error, directive })
      if (directive === 'escalate') return this.#escalate(supervisor, error)
      if (directive === 'stop') await this.#deps.stop(id)
      else failed.push(record)
    }
    if (failed.length > 0) await this.#applyRestart(supervisor, failed, error, options)
  }

  /**
   * A `permanent` actor stopped itself. OTP restarts it: the restart counts against its
   * supervisor's intensity like any other.
   */
  childExited(id: number): Promise<void> {
    const record = this.#deps.directory.get(id)
    if (!record) return Promise.resolve()
    return this.#serialize(record.parent, async () => {
      const options = this.#optionsOf(record.parent)
      const cause = new Error(`actor#${id} exited normally and is permanent`)
      if (!this.#intensityOf(record.parent, options).tryRestart(this.#deps.now())) {
        this.#deps.forgetStopped(id)
        return this.#giveUp(record.parent, options, cause)
      }
      await this.#deps.recreate(record, cause)
      record.restarts++
      this.#deps.events.publish({ type: 'actor-restarted', actor: id, thread: record.thread, restarts: record.restarts })
    })
  }

  /** Forgets the bookkeeping of a supervisor that stopped. */
  forget(id: number): void {
    this.#intensity.delete(id)
  }

  async #handle(id: number, error: Error): Promise<void> {
    const record = this.#deps.directory.get(id)
    if (!record) return
    if (record.stopping) {
      // It is stopping anyway (e.g. `onStop` threw): nothing to decide, but nothing hidden either.
      this.#deps.events.publish({ type: 'actor-failed', actor: id, error, directive: 'stop' })
      return
    }
    const options = this.#optionsOf(record.parent)
    let directive: Directive = decide(options.decider, error as Error & { code?: unknown })
    if (directive === 'restart' && record.blueprint.restart === 'temporary') directive = 'stop'
    this.#deps.events.publish({ type: 'actor-failed', actor: id, error, directive })
    switch (directive) {
      case 'resume':
        return this.#deps.directive(record, 'resume', error).catch(ignoreIfWorkerDied)
      case 'stop':
        return this.#deps.stop(id)
      case 'escalate':
        return this.#escalate(record.parent, error)
      case 'restart':
        return this.#restart(record, error, options)
    }
  }

  #restart(record: R, error: Error, options: ResolvedSupervision): Promise<void> {
    return this.#applyRestart(record.parent, [record], error, options)
  }

  /** One restart event of `supervisor`, for one or more failed children, per its strategy. */
  async #applyRestart(supervisor: number, failed: R[], error: Error, options: ResolvedSupervision): Promise<void> {
    if (!this.#intensityOf(supervisor, options).tryRestart(this.#deps.now())) {
      return this.#giveUp(supervisor, options, error)
    }
    const siblings = this.#deps.directory.childrenOf(supervisor)
    const failedIds = failed.map((record) => record.id)
    const first = Math.min(...failedIds.map((id) => siblings.indexOf(id)).filter((index) => index >= 0))
    const targets =
      options.strategy === 'one-for-one'
        ? failedIds
        : options.strategy === 'one-for-all'
          ? [...siblings]
          : siblings.slice(Number.isFinite(first) ? first : 0)
    // OTP: every child the restart affects stops working before any is restarted, so none goes
    // on processing messages while its siblings are replaced.
    if (targets.length > 1) await Promise.all(targets.map((id) => this.#pause(id, error)))
    if (options.backoff) await this.#deps.sleep(this.#nextBackoff(failed[0]!, options.backoff))
    for (const id of targets) await this.#restartOne(id, error)
  }

  async #pause(id: number, cause: Error): Promise<void> {
    const record = this.#deps.directory.get(id)
    if (!record || record.stopping) return
    await this.#deps.directive(record, 'pause', cause).catch(ignoreIfWorkerDied)
  }

  /** Akka's default restart: the children of the restarted actor are stopped first. */
  async #restartOne(id: number, cause: Error): Promise<void> {
    const record = this.#deps.directory.get(id)
    if (!record || record.stopping) return
    await this.#stopChildren([...record.children])
    this.#intensity.delete(id)
    try {
      await this.#deps.directive(record, 'restart', cause)
    } catch (error) {
      // Its worker died while the directive was on its way: the crash recovery handles the
      // actor now (as lost), and reports its restart then.
      ignoreIfWorkerDied(error)
      return
    }
    record.restarts++
    this.#deps.events.publish({ type: 'actor-restarted', actor: id, thread: record.thread, restarts: record.restarts })
  }

  #stopChildren(children: readonly number[]): Promise<void> {
    return stopInReverse(children, (id) => this.#deps.stop(id), (id) => this.#deps.leafThread?.(id))
  }

  #nextBackoff(record: R, backoff: NonNullable<ResolvedSupervision['backoff']>): number {
    const now = this.#deps.now()
    if (now - record.lastRestartAt > backoff.resetAfterMs) record.backoffAttempt = 0
    const delay = backoffDelay(backoff, record.backoffAttempt++, this.#deps.random ?? Math.random)
    record.lastRestartAt = now + delay
    return delay
  }

  /** OTP: a supervisor past its intensity terminates its children and fails itself. */
  async #giveUp(supervisor: number, options: ResolvedSupervision, cause: Error): Promise<void> {
    const who = supervisor === 0 ? 'system guardian' : `actor#${supervisor}`
    const error = new SupervisionError(who, `gave up: more than ${options.maxRestarts} restarts within ${options.withinMs} ms`, { cause })
    await this.#stopChildren(this.#deps.directory.childrenOf(supervisor))
    await this.#escalate(supervisor, error)
  }

  /** The failure becomes the supervisor's own, decided by its parent; past the guardian it is fatal. */
  async #escalate(supervisor: number, error: Error): Promise<void> {
    if (supervisor === 0) {
      const fatal = error instanceof SupervisionError ? error : new SupervisionError('system guardian', `failure escalated to the top: ${error.message}`, { cause: error })
      this.#deps.events.publish({ type: 'fatal', error: fatal })
      this.#deps.fatal(fatal)
      return
    }
    const record = this.#deps.directory.get(supervisor)
    if (!record) {
      this.#deps.escalateElsewhere(supervisor, error)
      return
    }
    // Handled in the grandparent's queue: this one is busy handling the failure being escalated.
    void this.childFailed(supervisor, error)
  }

  #optionsOf(supervisor: number): ResolvedSupervision {
    return supervisor === 0 ? this.#deps.guardian : (this.#deps.directory.supervisionOf(supervisor) ?? this.#deps.guardian)
  }

  #intensityOf(supervisor: number, options: ResolvedSupervision): RestartIntensity {
    let intensity = this.#intensity.get(supervisor)
    if (!intensity) {
      intensity = new RestartIntensity(options.maxRestarts, options.withinMs)
      this.#intensity.set(supervisor, intensity)
    }
    return intensity
  }

  #serialize(supervisor: number, work: () => Promise<void>): Promise<void> {
    const previous = this.#queues.get(supervisor) ?? Promise.resolve()
    const next = previous.then(work, work).catch((error: unknown) => {
      process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'TroupeSupervisionWarning')
    })
    this.#queues.set(supervisor, next)
    void next.then(() => {
      if (this.#queues.get(supervisor) === next) this.#queues.delete(supervisor)
    })
    return next
  }
}

/** A directive sent to a worker that died meanwhile: the crash recovery takes over, so it is no error. */
function ignoreIfWorkerDied(error: unknown): void {
  if (!(error instanceof WorkerCrashedError)) throw error
}
