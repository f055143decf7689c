import { SupervisionError, WorkerCrashedError } from '@troupe/core'
import { toWireError } from '@troupe/core/internal'
import type { Host } from '../host/host.js'
import { unwrapResult, type SpawnOrder } from '../protocol/control.js'
import type { Topic } from '../util/topic.js'
import type { ActorRecord, Directory } from './directory.js'
import type { Supervisor } from './supervisor.js'
import type { SystemEvent } from './system-events.js'
import type { WorkerHandle } from './worker-handle.js'

/** What recovering from a worker's death needs from the system. */
export interface WorkerRecoveryDeps {
  readonly directory: Directory
  readonly events: Topic<SystemEvent>
  readonly mainHost: Host
  readonly supervisor: Supervisor
  /** The system's workers, thread n at index n - 1: a replacement takes the dead one's place. */
  readonly workers: WorkerHandle[]
  /** How many workers the system has (a ref's credit window depends on it). */
  readonly workerCount: number
  /** False once shutdown has begun: a worker that dies then is not replaced. */
  running(): boolean
  /** Starts a worker for `thread`, told which actors it will re-create. */
  startWorker(thread: number, restoring: number[], generation: number): WorkerHandle
  /** The live worker of `thread`. */
  worker(thread: number): WorkerHandle
  /** Forgets the channels to `thread`: its replacement is connected afresh. */
  forgetChannels(thread: number): void
  /** `thread`'s local tree died with it: main forgets what it knew of it. */
  localTreeDied(thread: number): void
  connect(from: number, to: number): void
  /** The system cannot go on (the replacement failed to start). */
  fatal(error: SupervisionError): void
}

/**
 * Worker death and restoration, on the main thread. When a worker dies, every thread learns it
 * (asks to it fail, what was sent to it is accounted for), a fresh worker takes its slot, and
 * the supervisors of its actors decide about them; a restart re-creates an actor under its old
 * id (`recreate`), which is also how a `permanent` actor that exited comes back.
 */
export class WorkerRecovery {
  readonly #deps: WorkerRecoveryDeps

  constructor(deps: WorkerRecoveryDeps) {
    this.#deps = deps
  }

  /**
   * A worker died. Its asks fail at once everywhere; channels to it keep what is sent meanwhile.
   * A fresh worker takes the same slot (same thread index, so every ref stays valid) and is told
   * which actors it will re-create, so messages for them wait there. Then each supervisor
   * decides about its lost children, as one failure, and restarts re-create them there.
   * The fresh worker is the system's pre-started spare when one is idle (see SparePool): its
   * thread is running and its modules are loaded, so it is ready after one round trip.
   */
  async recover(dead: WorkerHandle): Promise<void> {
    const deps = this.#deps
    const { thread } = dead
    const reason = dead.exitReason
    // Every sender accounts for what it sent the dead worker: redelivered to these actors, or dead letters.
    const atLeastOnce = deps.directory
      .onThread(thread)
      .filter((record) => record.blueprint.delivery === 'at-least-once')
      .map((record) => record.id)
    deps.mainHost.threadDied(thread, reason, atLeastOnce)
    for (const other of deps.workers) {
      if (other !== dead && other.alive) void other.call((control) => control.peerDied(thread, reason, atLeastOnce)).catch(() => undefined)
    }
    deps.forgetChannels(thread)
    deps.localTreeDied(thread)
    deps.events.publish({ type: 'worker-crashed', thread, reason })
    if (!deps.running()) return

    const lost = deps.directory.onThread(thread)
    for (const record of lost) record.lost = true
    const replacement = deps.startWorker(
      thread,
      lost.map((record) => record.id),
      dead.generation + 1,
    )
    deps.workers[thread - 1] = replacement
    try {
      await replacement.ready()
      // The next spare starts booting as soon as this one answers, so that it has the whole
      // re-creation (and whatever comes before the next death) to boot.
      if (deps.running()) replacement.spares?.refill()
    } catch (error) {
      deps.fatal(new SupervisionError(`worker ${thread}`, 'its replacement failed to start', { cause: error }))
      return
    }
    deps.events.publish({ type: 'worker-replaced', thread })
    for (const other of deps.workers) if (other !== replacement && other.alive) deps.connect(thread, other.thread)
    // Descendants of a lost actor are handled by its restart (which stops its children) or stop.
    const lostIds = new Set(lost.map((record) => record.id))
    const roots = lost.filter((record) => !this.#hasAncestorIn(record, lostIds)).map((record) => record.id)
    await deps.supervisor.childrenLost(roots, new WorkerCrashedError(thread, reason))
    deps.events.publish({ type: 'worker-recovered', thread, actors: lost.length })
  }

  #hasAncestorIn(record: ActorRecord, ids: ReadonlySet<number>): boolean {
    const { directory } = this.#deps
    for (let parent = directory.get(record.parent); parent; parent = directory.get(parent.parent)) {
      if (ids.has(parent.id)) return true
    }
    return false
  }

  /** Re-creates an actor under the same id on its thread (its worker died, or it exited normally). */
  async recreate(record: ActorRecord, cause: Error): Promise<void> {
    const deps = this.#deps
    const order: SpawnOrder = {
      id: record.id,
      name: record.name,
      parent: record.parent === 0 ? undefined : deps.directory.parentRef(record.parent, deps.workerCount),
      module: record.blueprint.module,
      export: record.blueprint.export,
      args: record.blueprint.args,
      mailbox: record.blueprint.mailbox,
      handlerTimeoutMs: record.blueprint.handlerTimeoutMs,
      askErrors: record.blueprint.askErrors,
      reentrancy: record.blueprint.reentrancy,
      supervision: record.blueprint.supervision,
      restartCause: toWireError(cause),
    }
    if (record.thread === 0) await deps.mainHost.spawnHere(order)
    else await deps.worker(record.thread).call(async (control) => unwrapResult(await control.spawn(order)))
    record.lost = false
  }
}
