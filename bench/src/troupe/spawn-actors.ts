// Actors that spawn idle actors from inside the system (spawn.*, memory.per-actor, actors.alive.max).
// Workers import this module, so it holds only actor classes; IdleActor comes from memory-actors.js,
// so a system spawning through these actors allows both modules.
import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import { IdleActor } from './memory-actors.js'

/**
 * Local spawns per chunk: one chunk is one synchronous stretch of a handler (a few ms), so the
 * thread goes back to its event loop between chunks and its heartbeats and control calls get through.
 */
const spawnChunk = 10_000

/**
 * Spawns `IdleActor` children on its own thread: `ctx.spawn` with no placement is local and
 * returns the child's ref at once. Pinned to a worker from main, one per worker.
 */
export class LocalSpawner extends Actor<LocalSpawner> {
  #children = 0

  /**
   * Spawns `count` children, a chunk at a time, and answers with how many it has spawned in all.
   * After each chunk it asks the chunk's last child `ping()`: a message to a local child waits
   * until the child has started, and children start in the order they were spawned on one
   * thread, so the answer means the chunk is alive. The await also yields the thread, so the
   * children's starts run between chunks, not all after the last one.
   */
  async spawnIdle(count: number): Promise<number> {
    for (let spawned = 0; spawned < count; ) {
      const chunk = Math.min(spawnChunk, count - spawned)
      let last: ActorRef<IdleActor> | undefined
      for (let i = 0; i < chunk; i++) last = this.ctx.spawn(IdleActor)
      spawned += chunk
      if (last !== undefined) await last.ask.ping()
    }
    this.#children += count
    return this.#children
  }
}

/**
 * Spawns `IdleActor`s on another worker (`{ worker: target }`): each spawn goes straight to
 * that worker, which answers once the actor has started; main records it afterwards. `window` spawns are in flight at a time; each resolution
 * comes back as a message (`pipeToSelf`) that issues the next spawn, so the actor's state is
 * only touched inside its own turns. A rejected spawn fails the actor, which fails the run.
 */
export class RemoteSpawner extends Actor<RemoteSpawner> {
  #target = 0
  #toIssue = 0
  #outstanding = 0
  #spawned = 0
  #last: ActorRef<IdleActor> | undefined
  #waiter: DeferredReply<number> | undefined

  /** Spawns `count` actors on worker `target`, `window` at a time; answers with the count once all spawns have resolved. */
  spawnOn(target: number, count: number, window: number): DeferredReply<number> {
    if (this.#waiter !== undefined) throw new Error('a spawnOn is already running')
    this.#target = target
    this.#toIssue = count
    this.#spawned = 0
    const waiter = this.ctx.deferReply<number>()
    this.#waiter = waiter
    for (let i = 0; i < window && this.#toIssue > 0; i++) this.#issue()
    if (count === 0) this.#finish()
    return waiter
  }

  /** The thread of the last actor spawned, as it answers itself: proves the placement. */
  lastThread(): Promise<number> {
    if (this.#last === undefined) throw new Error('nothing spawned yet')
    return this.#last.ask.ping()
  }

  #issue(): void {
    this.#toIssue--
    this.#outstanding++
    // Promise.resolve: typed as a promise whatever overload of ctx.spawn the options select.
    this.ctx.pipeToSelf(Promise.resolve(this.ctx.spawn(IdleActor, { placement: { worker: this.#target } })), (child) => this.#onSpawned(child))
  }

  #onSpawned(child: ActorRef<IdleActor>): void {
    this.#outstanding--
    this.#spawned++
    this.#last = child
    if (this.#toIssue > 0) this.#issue()
    else if (this.#outstanding === 0) this.#finish()
  }

  #finish(): void {
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.resolve(this.#spawned)
  }
}
