import { ActorStoppedError, SpawnTimeoutError } from '@troupe/core'
import { SPAWN_AT, STOP, creditWindow, stableHash, type ResolvedSupervision } from '@troupe/core/internal'
import type { RefInfo, SpawnOrder, SpawnRequest, WirePlacement } from '../protocol/control.js'
import { SpawnWireCache, blueprintOf, type SpawnAtBody, type SpawnAtReply, type SpawnBlueprint } from '../protocol/spawn-wire.js'
import { withDeadline } from '../util/deadline.js'
import { serviceId } from './actor-ids.js'
import type { Host } from './host.js'
import type { SystemPort } from './host-options.js'

/** What spawning straight onto another worker needs from this thread. */
export interface RemoteSpawnerDeps {
  readonly host: Host
  readonly system: SystemPort
  readonly workerCount: number
  readonly spawnTimeoutMs: number
  readonly askTimeoutMs: number
}

/**
 * `ctx.spawn` from a worker to another worker, straight over the link between them (`SPAWN_AT`):
 * the spawning thread places the child, the creating thread allocates its id and answers once
 * it has started, and only then is the main thread told (`SPAWNED`), so that it supervises the
 * child as before and re-creates it if its worker dies. Main does no work on the spawn's way,
 * and the order travels the link the spawner's later messages to the child take.
 *
 * Why main hears from the spawner, after the answer, and not from the creating thread: the
 * spawner's record then travels the same link as anything the spawner later asks main about the
 * child (stop it, stop the parent's children), so main never sees those first. If the creating
 * worker dies before it answers, the spawn rejects and main never heard of the child: nobody was
 * told it lives. If it dies after, main sees from the generation in the record that the child
 * was lost with its worker, and its supervisor decides, as for any actor lost so. If the
 * spawner's thread dies in between, the creating thread stops the child (`parentThreadDied`).
 *
 * Placements that need what only main knows go through main as before: `least-loaded` (the load
 * reports), `main`, and a name (registered there first). `round-robin` counts per spawning
 * thread, starting at its own index, so several spawners spread their children too.
 */
export class RemoteSpawner {
  readonly #deps: RemoteSpawnerDeps
  readonly #wire = new SpawnWireCache()
  /** Spawns with default options share one blueprint per class, so it is encoded once. */
  readonly #defaults = new Map<string, SpawnBlueprint>()
  #nextRoundRobin: number

  constructor(deps: RemoteSpawnerDeps) {
    this.#deps = deps
    this.#nextRoundRobin = deps.host.thread
  }

  /** The worker a spawn from this thread goes to directly, or `undefined`: through main. */
  target(request: SpawnRequest): number | undefined {
    if (this.#deps.host.thread === 0 || request.name !== undefined) return undefined
    return workerFor(request.placement, this.#deps.workerCount, () => this.#nextRoundRobin++)
  }

  /**
   * Spawns on `thread` for `parent` (an actor of this thread); resolves once the child has
   * started. `defaults`: no option but placement and arguments was given. `foreignSupervision`:
   * the parent's, when main has no record of it.
   */
  async spawn(parent: RefInfo, request: SpawnRequest, thread: number, defaults: boolean, foreignSupervision: ResolvedSupervision | undefined, parentAlive: () => boolean): Promise<RefInfo> {
    const { host, system, spawnTimeoutMs, askTimeoutMs } = this.#deps
    // The creating thread starts the child by this time or not at all (an order that waited in a
    // busy thread's queue past it is refused), so an ask that gave up never leaves a child behind;
    // the ask's own deadline adds room for the answer's way back.
    const deadline = Date.now() + spawnTimeoutMs
    const body = this.#wire.writeSpawnAt(parent, defaults ? this.#sharedBlueprint(request) : blueprintOf(request), request.args, foreignSupervision, deadline)
    const timeoutMs = Math.min(spawnTimeoutMs + askTimeoutMs, 2 ** 31 - 1)
    const [id, window, generation] = (await host.ask(host.refTo(serviceId(thread), thread), SPAWN_AT, body, { timeoutMs })) as SpawnAtReply
    const child: RefInfo = { id, thread, name: undefined, window }
    if (!parentAlive()) {
      // The parent stopped meanwhile: its children were stopped without this one, which main never recorded.
      host.ask(host.refTo(id, thread), STOP, undefined, { timeoutMs }).catch(() => undefined)
      throw new ActorStoppedError(`actor#${parent.id} (the parent)`)
    }
    system.spawned(this.#wire.writeSpawned(body, host.thread, host.generation, child, generation))
    return child
  }

  /**
   * Creates the child another worker ordered here (`SPAWN_AT`) as a root of this thread's tree,
   * by the order's deadline (`spawnTimeoutMs` after it was sent). An order that arrives past it
   * is refused, and a child that starts after it is stopped at once, so no child runs that its
   * spawner was told had failed.
   */
  async create(body: SpawnAtBody, from: number): Promise<SpawnAtReply> {
    const { host, workerCount, spawnTimeoutMs } = this.#deps
    const { parent, blueprint, args, deadline } = this.#wire.readSpawnAt(body, from)
    const left = deadline - Date.now()
    if (left <= 0) throw new SpawnTimeoutError(blueprint.module, blueprint.export, spawnTimeoutMs)
    const id = host.ids.allocate()
    const order: SpawnOrder = {
      id,
      name: undefined,
      parent,
      module: blueprint.module,
      export: blueprint.export,
      args,
      mailbox: blueprint.mailbox,
      handlerTimeoutMs: blueprint.handlerTimeoutMs,
      askErrors: blueprint.askErrors,
      reentrancy: blueprint.reentrancy,
      supervision: blueprint.supervision,
    }
    const starting = host.spawnHere(order)
    try {
      await withDeadline(starting, left, () => new SpawnTimeoutError(blueprint.module, blueprint.export, spawnTimeoutMs))
    } catch (error) {
      if (error instanceof SpawnTimeoutError) {
        starting.then(
          () => host.ask(host.refTo(id, host.thread), STOP, undefined, { timeoutMs: spawnTimeoutMs }).catch(() => undefined),
          () => undefined,
        )
      }
      throw error
    }
    return [id, creditWindow(blueprint.mailbox, workerCount + 1), host.generation]
  }

  #sharedBlueprint(request: SpawnRequest): SpawnBlueprint {
    const key = `${request.module}#${request.export}`
    let blueprint = this.#defaults.get(key)
    if (blueprint === undefined) {
      blueprint = blueprintOf(request)
      this.#defaults.set(key, blueprint)
    }
    return blueprint
  }
}

/**
 * The worker (1..workerCount) a placement names without main's knowledge, as main's scheduler
 * would choose it; `undefined` for `least-loaded` and `main`.
 */
export function workerFor(placement: WirePlacement | undefined, workerCount: number, nextRoundRobin: () => number): number | undefined {
  if (placement === undefined || placement === 'round-robin') return 1 + (nextRoundRobin() % workerCount)
  if (placement === 'least-loaded' || placement === 'main') return undefined
  if ('worker' in placement) return placement.worker + 1
  if ('colocateWith' in placement) return placement.colocateWith.thread === 0 ? undefined : placement.colocateWith.thread
  return 1 + (stableHash(String(placement.hash)) % workerCount)
}
