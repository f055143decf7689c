import { ActorNotFoundError, ActorStoppedError, AskTimeoutError, StopTimeoutError } from '@troupe/core'
import { STOP, fromWireError, type ActorRefImpl, type WireError } from '@troupe/core/internal'
import type { Host } from '../host/host.js'
import type { Topic } from '../util/topic.js'
import type { ActorRecord, Directory } from './directory.js'
import { stopInReverse } from './stop-order.js'
import type { SystemEvent } from './system-events.js'

/** What stopping actors needs from the system's engine. */
export interface ActorStopsDeps {
  readonly directory: Directory
  readonly mainHost: Host
  readonly events: Topic<SystemEvent>
  readonly stopTimeoutMs: number
  /** Restarts a `permanent` actor that exited normally, and forgets an actor gone for good. */
  readonly supervisor: { childExited(id: number): Promise<void>; forget(id: number): void }
  /** Tells the watchers of an actor gone for good. */
  readonly deathWatch: { terminated(record: ActorRecord): void }
  /** False once shutdown began: a `permanent` actor that exits is then not restarted. */
  running(): boolean
}

/**
 * Stopping actors from the main thread: an actor and its subtree, children first in reverse start
 * order (as OTP does), each stop message over the data plane, behind everything main sent the
 * actor before, and bounded by `stopTimeoutMs`.
 */
export class ActorStops {
  readonly #deps: ActorStopsDeps

  constructor(deps: ActorStopsDeps) {
    this.#deps = deps
  }

  /**
   * Stops an actor and its subtree. `exit` marks the actor stopping itself: a normal exit, after
   * which a `permanent` actor is restarted by its supervisor (OTP) instead of terminating. An
   * actor main has no record of (of a thread's local tree) is stopped on `thread`, whose tree
   * stops its children first.
   */
  stop(id: number, exit = false, thread?: number): Promise<void> {
    const record = this.#deps.directory.get(id)
    if (!record) return thread === undefined ? Promise.resolve() : this.#stopElsewhere(id, thread)
    const restartAfter = exit && record.blueprint.restart === 'permanent' && this.#deps.running()
    return (record.stopping ??= this.#stopTree(record, restartAfter))
  }

  /** The actor is gone for good: forget it, and tell whoever watches it. */
  forget(id: number): void {
    const { directory, supervisor, events, deathWatch } = this.#deps
    const record = directory.get(id)
    if (!record) return
    directory.remove(id)
    supervisor.forget(id)
    events.publish({ type: 'actor-stopped', actor: id })
    deathWatch.terminated(record)
  }

  async #stopTree(record: ActorRecord, restartAfter: boolean): Promise<void> {
    const { directory, mainHost } = this.#deps
    let stopped = false
    try {
      await stopInReverse([...record.children], (child) => this.stop(child), (child) => directory.leafThread(child))
      await this.#askStop(mainHost.refTo(record.id, record.thread, record.name))
      stopped = true
    } catch (error) {
      // A child's failure arrives already typed; an actor already gone counts as stopped.
      if (!isGone(error)) throw error
    } finally {
      if (restartAfter && stopped) {
        record.stopping = undefined
        void this.#deps.supervisor.childExited(record.id)
      } else {
        this.forget(record.id)
      }
    }
  }

  async #stopElsewhere(id: number, thread: number): Promise<void> {
    try {
      await this.#askStop(this.#deps.mainHost.refTo(id, thread))
    } catch (error) {
      if (!isGone(error)) throw error
    }
  }

  /** Asks the actor to stop, within `stopTimeoutMs` (else `StopTimeoutError`); a failing `onStop` is reported. */
  async #askStop(ref: ActorRefImpl): Promise<void> {
    const { mainHost, events, stopTimeoutMs } = this.#deps
    let stopFailure: WireError | undefined
    try {
      stopFailure = (await mainHost.ask(ref, STOP, undefined, { timeoutMs: stopTimeoutMs })) as WireError | undefined
    } catch (error) {
      throw error instanceof AskTimeoutError ? new StopTimeoutError(ref.toString(), stopTimeoutMs) : error
    }
    if (stopFailure) events.publish({ type: 'actor-failed', actor: ref.id, error: fromWireError(stopFailure), directive: 'stop' })
  }
}

function isGone(error: unknown): boolean {
  return error instanceof ActorStoppedError || error instanceof ActorNotFoundError
}
