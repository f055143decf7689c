import { ActorStoppedError, SpawnTimeoutError, SystemShutdownError, WorkerCrashedError, type DeliveryGuarantee } from '@troupe/core'
import { SPAWN, creditWindow } from '@troupe/core/internal'
import type { Host } from '../host/host.js'
import { serviceId } from '../host/actor-ids.js'
import type { RefInfo, SpawnOrder, SpawnRequest } from '../protocol/control.js'
import { SpawnWireCache, blueprintOf, type SpawnBlueprint, type SpawnedBody } from '../protocol/spawn-wire.js'
import { withDeadline } from '../util/deadline.js'
import type { Topic } from '../util/topic.js'
import { refInfo, type ActorBlueprint, type Directory } from './directory.js'
import type { Scheduler } from './scheduler.js'
import type { Supervisor } from './supervisor.js'
import type { SystemEvent } from './system-events.js'
import type { WorkerHandle } from './worker-handle.js'

export interface SystemSpawnsDeps {
  readonly directory: Directory
  readonly scheduler: Scheduler
  readonly supervisor: Supervisor
  readonly events: Topic<SystemEvent>
  readonly mainHost: Host
  readonly workers: number
  readonly spawnTimeoutMs: number
  readonly askTimeoutMs: number
  readonly delivery: DeliveryGuarantee
  running(): boolean
  /** The live worker of `thread`. */
  worker(thread: number): WorkerHandle
  stop(id: number, exit?: boolean, thread?: number): Promise<void>
}

/** Failure reports kept for a child whose record is still on its way (see `failed`). */
const MAX_EARLY_FAILURES = 1024

/**
 * Spawning as the main thread sees it: the spawns it places and records itself (`system.spawn`,
 * and `ctx.spawn` through main), and the records of children a worker spawned straight on
 * another worker (see `RemoteSpawner`), which main supervises from then on.
 */
export class SystemSpawns {
  readonly #deps: SystemSpawnsDeps
  /**
   * Failures of children whose record has not arrived: a child spawned straight on another
   * worker can fail before its spawner's record reaches main, since the failure takes another
   * channel. Held until the record comes, so the failure is decided then; bounded, oldest first.
   */
  readonly #early = new Map<number, Error>()
  readonly #wire = new SpawnWireCache()
  /** Blueprints of children spawned without arguments, by their decoded wire blueprint (shared per encoding). */
  readonly #shared = new WeakMap<SpawnBlueprint, ActorBlueprint>()

  constructor(deps: SystemSpawnsDeps) {
    this.#deps = deps
  }

  async spawn(parent: number, request: SpawnRequest): Promise<RefInfo> {
    const { directory, scheduler, mainHost, events, workers, spawnTimeoutMs } = this.#deps
    if (!this.#deps.running()) throw new SystemShutdownError(`spawn ${request.export}`)
    const parentRecord = parent === 0 ? undefined : directory.get(parent)
    const foreign = request.foreignParent
    if (parent !== 0 && parentRecord === undefined && foreign !== undefined) directory.addForeignParent(parent, foreign.ref, foreign.supervision)
    else if (parent !== 0 && (!parentRecord || parentRecord.stopping)) throw new ActorStoppedError(`actor#${parent} (the parent)`)
    const thread = scheduler.place(request.placement)
    const id = directory.allocateId()
    directory.add(id, thread, request.name, parent, this.#blueprint(request))
    const order: SpawnOrder = {
      id,
      name: request.name,
      parent: parentRecord ? refInfo(parentRecord, workers) : foreign?.ref,
      module: request.module,
      export: request.export,
      args: request.args,
      mailbox: request.mailbox,
      handlerTimeoutMs: request.handlerTimeoutMs,
      askErrors: request.askErrors,
      reentrancy: request.reentrancy,
      supervision: request.supervision,
    }
    // To a worker, the order is an ask of its system service over the data plane (see SPAWN).
    const starting = thread === 0 ? mainHost.spawnHere(order) : this.#orderSpawn(thread, order)
    try {
      await withDeadline(starting, spawnTimeoutMs, () => new SpawnTimeoutError(request.module, request.export, spawnTimeoutMs))
    } catch (error) {
      if (error instanceof SpawnTimeoutError) this.#abandon(id, starting)
      else directory.remove(id)
      throw error
    }
    scheduler.placed(thread)
    events.publish({ type: 'actor-started', actor: id, thread, name: request.name })
    return { id, thread, name: request.name, window: creditWindow(request.mailbox, workers + 1) }
  }

  /**
   * A worker spawned a child straight on another worker, and it started: main records it under
   * its parent and supervises it from now on. If the parent is gone or stopping, the child is
   * stopped; if the child's worker died before this record arrived, the child was lost with it
   * and its supervisor decides, as for every actor a worker took with it.
   */
  spawned(body: SpawnedBody): void {
    const { directory, scheduler, events, supervisor } = this.#deps
    if (!this.#deps.running()) return // every actor is being stopped
    const record = this.#wire.readSpawned(body)
    const { child, parent } = record
    const parentRecord = directory.get(parent.id)
    const foreign = record.foreignSupervision
    const parentGone =
      this.#generation(parent.thread) !== record.parentGeneration || (parentRecord === undefined ? foreign === undefined : parentRecord.stopping !== undefined)
    if (parentGone) {
      this.#early.delete(child.id)
      this.#deps.stop(child.id, false, child.thread).catch(() => undefined)
      return
    }
    if (parentRecord === undefined) directory.addForeignParent(parent.id, parent, foreign!)
    const added = directory.add(child.id, child.thread, undefined, parent.id, this.#recordedBlueprint(record.blueprint, record.args))
    scheduler.placed(child.thread)
    events.publish({ type: 'actor-started', actor: child.id, thread: child.thread, name: undefined })
    if (this.#generation(child.thread) !== record.childGeneration) {
      added.lost = true
      void this.#lostBeforeRecorded(child.id, child.thread)
      return
    }
    const failure = this.#early.get(child.id)
    if (failure !== undefined) {
      this.#early.delete(child.id)
      void supervisor.childFailed(child.id, failure)
    }
  }

  /** An actor main records failed; one main does not record (yet) is held for its record. */
  failed(id: number, error: Error): void {
    if (this.#deps.directory.get(id) !== undefined) {
      void this.#deps.supervisor.childFailed(id, error)
      return
    }
    if (this.#early.size >= MAX_EARLY_FAILURES) this.#early.delete(this.#early.keys().next().value!)
    this.#early.set(id, error)
  }

  /** Its worker was replaced before main heard of it: decided once the replacement is up. */
  async #lostBeforeRecorded(id: number, thread: number): Promise<void> {
    await this.#deps.worker(thread).ready()
    await this.#deps.supervisor.childrenLost([id], new WorkerCrashedError(thread, 'its worker died before main recorded it'))
  }

  #generation(thread: number): number {
    return thread === 0 ? 0 : this.#deps.worker(thread).generation
  }

  #blueprint(request: SpawnRequest): ActorBlueprint {
    return { ...blueprintOf(request), args: request.args, delivery: request.delivery ?? this.#deps.delivery }
  }

  /** Children of one kind spawned without arguments share one blueprint here, as they do on the wire. */
  #recordedBlueprint(blueprint: SpawnBlueprint, args: Uint8Array | undefined): ActorBlueprint {
    if (args !== undefined) return { ...blueprint, args, delivery: blueprint.delivery ?? this.#deps.delivery }
    let shared = this.#shared.get(blueprint)
    if (shared === undefined) {
      shared = { ...blueprint, args: undefined, delivery: blueprint.delivery ?? this.#deps.delivery }
      this.#shared.set(blueprint, shared)
    }
    return shared
  }

  async #orderSpawn(thread: number, order: SpawnOrder): Promise<void> {
    const { mainHost, spawnTimeoutMs } = this.#deps
    const service = mainHost.refTo(serviceId(thread), thread)
    // Bounded by `spawnTimeoutMs` around it; this deadline only keeps the ask from outliving that.
    await mainHost.ask(service, SPAWN, order, { timeoutMs: Math.min(2 * spawnTimeoutMs, 2 ** 31 - 1) })
  }

  /**
   * A spawn past its deadline may still complete. Its record stays (so its name stays taken)
   * until it does: an actor that starts after all is stopped at once, so no actor runs that its
   * spawner was told had failed; one that fails is forgotten.
   */
  #abandon(id: number, starting: Promise<void>): void {
    starting.then(
      () => this.#deps.stop(id).catch(() => undefined),
      () => this.#deps.directory.remove(id),
    )
  }
}
