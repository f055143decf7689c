import { ActorNotFoundError, StoreError, type Actor, type ActorLifecycle, type ReminderSchedule } from '@troupe/core'
import { ActorRefImpl, ENTITY_NAME, PIPE, RECEIVE, STOP, idleTimeout, resolveMailbox } from '@troupe/core/internal'
import { ActorCell, DEFAULT_CELL_OPTIONS } from '../host/actor-cell.js'
import { envelope as makeEnvelope, settle, type Envelope } from '../host/envelope.js'
import type { Host } from '../host/host.js'
import type { LocalActors } from '../host/local-actors.js'
import { messageHandlersOf } from '../host/message-handlers.js'
import { isThenable } from '../host/message-target.js'
import type { EntityStore } from '../persistence/store/entity-store.js'
import type { LoadedActorClass } from '../host/module-registry.js'
import type { Timer } from '../clock/clock.js'
import { EntityActivation, entityKind, type EntityKind } from './entity-activation.js'
import { isEntityKey } from './entity-ref.js'
import { HostedEntityContext, type EntityContextOwner } from './entity-context.js'
import type { ReminderService } from './reminder-service.js'

/** What a thread's entity shard needs from it. */
export interface EntityShardDeps {
  readonly host: Host
  readonly actors: LocalActors
  /** The thread's store, opened on first use. */
  store(): Promise<EntityStore>
  readonly idleTimeoutMs: number
  readonly maxMessageBytes: number
  /** Reports a failed activation or handler as an event. */
  failed(actor: number, error: Error): void
  /** Set when entities are sharded over a cluster: leases, and where an entity belongs. */
  readonly homing?: EntityHoming
}

/** What a shard of a cluster's sharded entities needs (see ThreadEntities, EntityLeases). */
export interface EntityHoming {
  /** Takes the entity's cluster lease: its revision, or the live node that holds it. */
  acquire(storeId: string): Promise<{ readonly revision?: number; readonly holder?: number }>
  /** Lets the lease go (conditional on `revision`). */
  release(storeId: string, revision: number): Promise<void>
  /** Whether the entity belongs on this thread of this node now. */
  isHome(storeId: string): boolean
  /** Hands a message of the entity on to node `node` (the lease's holder), or where it belongs now. */
  relay(name: string, key: string, message: Envelope, node?: number): void
}

/** A message a shard runs for itself (a reminder's run) may want to hear that it never ran. */
export interface Undeliverable {
  undelivered(): void
}

const MAILBOX = resolveMailbox(undefined)

/**
 * The entities of one thread: those whose (type, key) hash here. Messages to an entity arrive as
 * `ENTITY` messages of the thread's system service and are handed to its activation: at once when
 * it is active, else after it has loaded (its class found among the allow-listed modules, its
 * state read from the store) or finished passivating. There is never more than one activation
 * of a key (its record stays here while it passivates, and what arrives meanwhile waits for the
 * next one), and the order in which messages arrived is the order its cell gets them.
 *
 * Passivation: a sweep every quarter of the idle timeout stops activations idle that long
 * (mailbox empty, no handler running). Their state was committed when their last message ended,
 * so stopping them saves nothing and only frees memory.
 */
export class EntityShard implements EntityContextOwner {
  readonly #deps: EntityShardDeps
  readonly #activations = new Map<string, EntityActivation>()
  /** Activations by their cell's id, for the cell's failures and stop. */
  readonly #byCell = new Map<number, EntityActivation>()
  /** Entity types found among the allow-listed modules, by name. */
  readonly #kinds = new Map<string, EntityKind>()
  #sweep: Timer | undefined
  #sweepEveryMs = Infinity
  /**
   * Sweeps so far: an activation notes the count when a message reaches it, which costs nothing
   * per message (no clock read), and the sweep compares counts.
   */
  #sweeps = 0
  reminders: ReminderService | undefined

  constructor(deps: EntityShardDeps) {
    this.#deps = deps
  }

  get size(): number {
    return this.#activations.size
  }

  /** An `ENTITY` message: body `[entityName, key, selector, body]`. */
  deliver(outer: Envelope): void {
    const [name, key, selector, body] = outer.body as [unknown, unknown, unknown, unknown]
    const { host } = this.#deps
    if (typeof name !== 'string' || !ENTITY_NAME.test(name) || !isEntityKey(name, key) || !(typeof selector === 'string' || selector === RECEIVE)) {
      host.undeliverable(host.thread, outer, 'not-found', new ActorNotFoundError(`entity ${String(name)}/${String(key)} (a malformed entity message)`))
      return
    }
    this.deliverTo(name, key, { ...outer, selector, body, system: false })
  }

  /** Hands `message` to entity `name`/`key`, activating it if it is not active. */
  deliverTo(name: string, key: string, message: Envelope): void {
    const storeId = `${name}/${key}`
    let activation = this.#activations.get(storeId)
    if (activation === undefined) {
      activation = new EntityActivation(name, key, storeId)
      this.#activations.set(storeId, activation)
      activation.waiting.push(message)
      void this.#activate(activation)
      return
    }
    activation.lastActive = this.#sweeps
    if (activation.phase === 'active') activation.cell!.enqueue(message)
    else activation.waiting.push(message)
  }

  async #activate(activation: EntityActivation): Promise<void> {
    const { host, actors } = this.#deps
    let cell: ActorCell
    let instance: Actor & ActorLifecycle
    try {
      const { homing } = this.#deps
      if (homing !== undefined && activation.lease === undefined) {
        // One activation in the cluster: this node activates it only while it holds its lease.
        const grant = await homing.acquire(activation.storeId)
        if (grant.holder !== undefined) {
          this.#handOn(activation, grant.holder)
          return
        }
        activation.lease = grant.revision
      }
      if (activation.durableClass === undefined) {
        // A known type is reused without a wait: an activation then costs one store read.
        activation.useKind(this.#kinds.get(activation.entityName) ?? (await this.#resolveKind(activation)))
        await activation.keeper!.load()
      }
      const id = host.ids.allocate()
      const self = new ActorRefImpl(id, host.thread, undefined, host, undefined, 0, host.node)
      cell = new ActorCell(self, undefined, messageHandlersOf(activation.durableClass!), host, MAILBOX, DEFAULT_CELL_OPTIONS)
      const context = new HostedEntityContext(cell, host, activation, this)
      instance = activation.create(context)
      cell.attach(instance, context, activation)
      activation.cell = cell
      this.#byCell.set(id, activation)
      actors.add(cell)
    } catch (error) {
      this.#abandon(activation, error instanceof Error ? error : new StoreError(String(error)))
      return
    }
    await this.#start(activation, cell, instance)
  }

  async #resolveKind(activation: EntityActivation): Promise<EntityKind> {
    const entityClass = await this.#deps.host.registry.entityClass(activation.entityName)
    if (entityClass === undefined) {
      throw new ActorNotFoundError(`entity ${activation.storeId}: no entity class named "${activation.entityName}" is exported by the system's \`actors\` modules`)
    }
    const idleTimeoutMs = idleTimeout(`${entityClass.name}.idleTimeoutMs`, (entityClass as { idleTimeoutMs?: unknown }).idleTimeoutMs) ?? this.#deps.idleTimeoutMs
    const kind = entityKind(entityClass, await this.#deps.store(), this.#deps.host, this.#deps.maxMessageBytes, idleTimeoutMs)
    this.#kinds.set(activation.entityName, kind)
    return kind
  }

  async #start(activation: EntityActivation, cell: ActorCell, instance: ActorLifecycle): Promise<void> {
    try {
      const result = instance.onStart?.()
      if (isThenable(result)) await result
    } catch (error) {
      this.#byCell.delete(cell.id)
      // What onStart set up before it threw (timers, subscriptions) ends with the cell.
      activation.waiting.push(...cell.startFailed())
      this.#deps.actors.remove(cell)
      this.#deps.host.topics.actorStopped(cell.id)
      activation.cell = undefined
      this.#abandon(activation, error instanceof Error ? error : new Error(String(error)))
      return
    }
    activation.phase = 'active'
    activation.lastActive = this.#sweeps
    for (const waiting of activation.waiting.splice(0)) cell.enqueue(waiting)
    cell.started()
    this.#watchIdle(activation.idleTimeoutMs)
    // Activated away from where it belongs (a sender whose view of the members was behind, or
    // a lease taken back in a hand-over race): it serves what it was given, then moves home.
    if (this.#deps.homing !== undefined && !this.#deps.homing.isHome(activation.storeId)) {
      activation.handOver = true
      this.passivate(activation)
    }
  }

  /** It could not be activated: what waited for it fails, and its next message tries again. */
  #abandon(activation: EntityActivation, error: Error): void {
    const { host } = this.#deps
    this.#activations.delete(activation.storeId)
    this.#release(activation)
    for (const waiting of activation.waiting.splice(0)) {
      // A reminder that could not run is armed again (at least once); it is no dead letter.
      if (waiting.selector === PIPE) (waiting.body as Partial<Undeliverable>).undelivered?.()
      else host.undeliverable(host.thread, waiting, 'start-failed', error)
    }
    this.#deps.failed(0, error)
  }

  /** Whether `cell` is an entity's activation (its failures and stop are the shard's). */
  owns(cell: ActorCell): boolean {
    return this.#byCell.has(cell.id)
  }

  /**
   * A handler of the entity failed (a tell's error, a timeout): it is restarted from its
   * committed state, the failed message's changes discarded, and takes its next message.
   */
  failed(cell: ActorCell, error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error))
    this.#deps.failed(cell.id, failure)
    const activation = this.#byCell.get(cell.id)
    if (activation === undefined) return
    if (activation.restarting) {
      // Its restart failed too (onRestart or onStart threw): no loop of restarts. It is stopped;
      // what it holds goes to dead letters, and a later message activates it afresh.
      activation.phase = 'passivating'
      cell.enqueue(makeEnvelope(0, this.#deps.host.thread, 0, STOP, undefined))
      return
    }
    activation.restarting = true
    void cell.restart(failure).finally(() => (activation.restarting = false))
  }

  /** Its cell stopped (passivated): the next activation, if messages came meanwhile, starts from the committed state. */
  stopped(cell: ActorCell): void {
    const activation = this.#byCell.get(cell.id)
    if (activation === undefined) return
    this.#byCell.delete(cell.id)
    activation.cell = undefined
    if (activation.handOver) {
      // It belongs elsewhere now: its lease goes first, then what waited (and what comes until
      // then, still in order) follows it there.
      const lease = this.#release(activation)
      void lease.then(() => this.#handOn(activation, undefined))
      return
    }
    if (activation.waiting.length === 0) {
      this.#activations.delete(activation.storeId)
      void this.#release(activation)
      return
    }
    activation.phase = 'loading'
    void this.#activate(activation)
  }

  /** Releases the activation's cluster lease, if it holds one. */
  #release(activation: EntityActivation): Promise<void> {
    const revision = activation.lease
    activation.lease = undefined
    return revision === undefined || this.#deps.homing === undefined ? Promise.resolve() : this.#deps.homing.release(activation.storeId, revision)
  }

  /**
   * The entity is active on another node (`node`, its lease's holder), or belongs elsewhere now
   * (undefined): the record ends here and what waited for it goes there, in order.
   */
  #handOn(activation: EntityActivation, node: number | undefined): void {
    if (this.#activations.get(activation.storeId) === activation) this.#activations.delete(activation.storeId)
    for (const waiting of activation.waiting.splice(0)) {
      // A reminder is armed on the node it belongs to (see ReminderService.rearm); here it is only given back.
      if (waiting.selector === PIPE) (waiting.body as Partial<Undeliverable>).undelivered?.()
      else this.#deps.homing!.relay(activation.entityName, activation.key, waiting, node)
    }
  }

  /**
   * The cluster's members changed: active entities that belong on another node now passivate
   * there (their state is committed), release their leases, and what reaches them meanwhile
   * follows them. Akka's hand-off, per entity instead of per shard.
   */
  rebalance(): void {
    const { homing } = this.#deps
    if (homing === undefined) return
    for (const activation of this.#activations.values()) {
      if (activation.phase !== 'active' || homing.isHome(activation.storeId)) continue
      activation.handOver = true
      this.passivate(activation)
    }
  }

  passivate(activation: EntityActivation): void {
    const cell = activation.cell
    if (activation.phase !== 'active' || cell === undefined) return
    activation.phase = 'passivating'
    // Behind what its mailbox holds: messages accepted before the decision are processed first.
    cell.enqueue(makeEnvelope(0, this.#deps.host.thread, 0, STOP, undefined))
  }

  #watchIdle(idleTimeoutMs: number): void {
    const every = Math.max(1, Math.floor(idleTimeoutMs / 4))
    if (every >= this.#sweepEveryMs && this.#sweep !== undefined) return
    const { clock } = this.#deps.host
    clock.clearTimeout(this.#sweep)
    this.#sweepEveryMs = every
    const tick = (): void => {
      this.#sweep = undefined
      this.#sweeps++
      this.#passivateIdle()
      if (this.#activations.size > 0) this.#sweep = clock.setTimeout(tick, this.#sweepEveryMs, true)
      else this.#sweepEveryMs = Infinity
    }
    this.#sweep = clock.setTimeout(tick, every, true)
  }

  /**
   * Passivates what has had no message for `idleTimeoutMs`: untouched for more sweeps than fit in
   * it, so idle between its timeout and its timeout plus two sweep periods (half of it at most).
   */
  #passivateIdle(): void {
    const sweeps = this.#sweeps
    const period = this.#sweepEveryMs
    for (const activation of this.#activations.values()) {
      const cell = activation.cell
      if (activation.phase !== 'active' || cell === undefined || sweeps - activation.lastActive <= Math.ceil(activation.idleTimeoutMs / period)) continue
      if (cell.current !== undefined || cell.mailbox.length > 0) continue
      this.passivate(activation)
    }
  }

  remind(activation: EntityActivation, name: string, schedule: ReminderSchedule): Promise<void> {
    if (this.reminders === undefined) return Promise.reject(new StoreError('reminders need the system\'s `persistence` option'))
    return this.reminders.remind(activation.storeId, name, schedule)
  }

  cancelReminder(activation: EntityActivation, name: string): Promise<void> {
    if (this.reminders === undefined) return Promise.resolve()
    return this.reminders.cancel(activation.storeId, name)
  }

  /** Stops sweeping (the thread closes); activations end with it. */
  close(): void {
    this.#deps.host.clock.clearTimeout(this.#sweep)
    this.#sweep = undefined
    for (const activation of this.#activations.values()) for (const waiting of activation.waiting.splice(0)) settle(waiting)
  }
}
