import { ClusterError, StoreError } from '@troupe/core'
import { ActorRefImpl, ENTITY, PIPE } from '@troupe/core/internal'
import { entityThread } from './entity-thread.js'
import type { EntityPlacement } from '../cluster/entity-placement.js'
import type { EntityLeases } from '../cluster/entity-leases.js'
import type { ActorCell } from '../host/actor-cell.js'
import { serviceId } from '../host/actor-ids.js'
import { envelope, settle, type Envelope } from '../host/envelope.js'
import type { Host } from '../host/host.js'
import type { LocalActors } from '../host/local-actors.js'
import { isThenable } from '../host/message-target.js'
import type { EntityStore } from '../persistence/store/entity-store.js'
import { EntityShard, type EntityHoming, type Undeliverable } from './entity-shard.js'
import { ReminderService } from './reminder-service.js'
import type { Timer } from '../clock/clock.js'

/** How long a thread waits before it tries again to read its reminders from a store it could not open. */
const START_RETRY_MS = 5000

export { entityThread }

/**
 * Where messages for entity `name`/`key` go from `host`: the system service of its thread, on
 * the node it is placed on when the cluster shards entities (this node until it has joined).
 */
export function entityTarget(host: Host, name: string, key: string, workerCount: number): ActorRefImpl {
  const storeId = `${name}/${key}`
  const home = host.cluster?.sharding?.placement.home(storeId)
  if (home !== undefined && home.node !== host.node) return host.refAt(serviceId(home.thread), home.thread, storeId, home.node)
  const thread = entityThread(storeId, workerCount)
  return new ActorRefImpl(serviceId(thread), thread, storeId, host, undefined, 0, host.node)
}

/** What a thread's entities need: its store (opened on first use), and how long an idle one stays. */
export interface EntityConfig {
  openStore(): Promise<EntityStore>
  /** Whether the thread closes the store when it closes (main's shared in-memory store is the system's to close). */
  readonly ownsStore: boolean
  /** How a closing thread lets go of its store; default `store.close()`. */
  release?(store: EntityStore): Promise<void>
  readonly idleTimeoutMs: number
}

/**
 * Entities on one thread: the shard of those that hash here, their reminders, and the thread's
 * store. Without `persistence` a thread has none of it, and a message to an entity fails with a
 * `StoreError` that says so.
 */
export class ThreadEntities {
  readonly shard: EntityShard
  readonly reminders: ReminderService
  readonly #host: Host
  #store: Promise<EntityStore> | undefined
  readonly #config: EntityConfig
  #closed = false
  #retry: Timer | undefined

  constructor(host: Host, actors: LocalActors, config: EntityConfig, workerCount: number, maxMessageBytes: number, failed: (actor: number, error: Error) => void) {
    this.#host = host
    this.#config = config
    const store = (): Promise<EntityStore> => this.store()
    const sharding = host.cluster?.sharding
    const homing = sharding && this.#homing(sharding.placement, sharding.leases)
    this.shard = new EntityShard({ host, actors, store, idleTimeoutMs: config.idleTimeoutMs, maxMessageBytes, failed, ...(homing ? { homing } : {}) })
    this.reminders = new ReminderService({
      clock: host.clock,
      store,
      isHome: homing ? (storeId) => homing.isHome(storeId) : (storeId) => entityThread(storeId, workerCount) === host.thread,
      fire: (storeId, name, done) => this.#fireReminder(storeId, name, done),
    })
    this.shard.reminders = this.reminders
  }

  /** The thread's store, opened once (a failed open is tried again by the next caller). */
  store(): Promise<EntityStore> {
    if (this.#store === undefined) {
      const opening = this.#config.openStore().catch((error: unknown) => {
        this.#store = undefined
        throw error instanceof StoreError ? error : new StoreError(`the entity store cannot be opened: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
      })
      this.#store = opening
    }
    return this.#store
  }

  /** What this thread's shard needs when the cluster shards entities: leases, and where each one belongs. */
  #homing(placement: EntityPlacement, leases: EntityLeases): EntityHoming {
    const host = this.#host
    return {
      acquire: (storeId) => {
        if (placement.home(storeId) === undefined) {
          return Promise.reject(new ClusterError(`entity ${storeId} cannot be activated: this node is ${placement.known ? 'down (not a member of its cluster)' : 'not a member of its cluster yet'}`))
        }
        return leases.acquire(storeId)
      },
      release: (storeId, revision) => leases.release(storeId, revision),
      isHome: (storeId) => {
        const home = placement.home(storeId)
        return home !== undefined && home.node === host.node && home.thread === host.thread
      },
      relay: (name, key, message, node) => this.#relay(placement, name, key, message, node),
    }
  }

  /**
   * Hands an entity's message on to another node: to the lease's holder (`node`), or to where
   * the entity belongs now. An ask or a send is asked there in turn and its answer passed back,
   * so the asker hears from this node as it expected to; a tell goes on as a tell.
   */
  #relay(placement: EntityPlacement, name: string, key: string, message: Envelope, node: number | undefined): void {
    const host = this.#host
    const storeId = `${name}/${key}`
    const member = node === undefined ? undefined : placement.members.find((m) => m.id === node)
    // (A holder that went down meanwhile: the entity goes where it belongs now.)
    const home = member ? { node: member.id, thread: entityThread(storeId, member.workers) } : placement.home(storeId)
    if (home === undefined) {
      host.undeliverable(host.thread, message, 'node-down', new ClusterError(`entity ${storeId} has no node to go to: this node is not a member of its cluster`))
      return
    }
    const target = host.refAt(serviceId(home.thread), home.thread, storeId, home.node)
    const body = [name, key, message.selector, message.body]
    if (message.correlation === 0) {
      settle(message)
      host.tell(target, ENTITY, body)
    } else if (message.correlation > 0) {
      host.ask(target, ENTITY, body, undefined).then((value) => host.replyOk(message, value), (error: unknown) => host.replyError(message, error))
    } else {
      host.send(target, ENTITY, body).then(() => host.replyOk(message, undefined), (error: unknown) => host.replyError(message, error))
    }
  }

  /** Where entities live changed: those here that belong elsewhere are handed over, and reminders follow. */
  placementChanged(): void {
    this.shard.rebalance()
    void this.reminders.rearm().catch((error: unknown) => this.#host.lifecycle.publish({ type: 'actor-failed', actor: 0, error: error instanceof Error ? error : new Error(String(error)), directive: 'resume' }))
  }

  deliver(message: Envelope): void {
    this.shard.deliver(message)
  }

  owns(cell: ActorCell): boolean {
    return this.shard.owns(cell)
  }

  /** `onReminder(name)` as a message of the entity (activating it), reporting how it ended. */
  #fireReminder(storeId: string, name: string, done: (ok: boolean) => void): void {
    const slash = storeId.indexOf('/')
    const run = function (this: { onReminder?: (name: string) => unknown }): unknown {
      let result: unknown
      try {
        result = this.onReminder?.(name)
      } catch (error) {
        done(false)
        throw error
      }
      if (!isThenable(result)) {
        done(true)
        return result
      }
      return Promise.resolve(result).then(
        (value) => {
          done(true)
          return value
        },
        (error: unknown) => {
          done(false)
          throw error
        },
      )
    }
    // If the entity cannot be activated, the reminder is tried again like a failed one.
    const body: typeof run & Undeliverable = Object.assign(run, { undelivered: () => done(false) })
    this.shard.deliverTo(storeId.slice(0, slash), storeId.slice(slash + 1), envelope(0, this.#host.thread, 0, PIPE, body))
  }

  /**
   * Arms this thread's stored reminders (at start). If the store cannot be read, it is tried
   * again every few seconds until it can (the failure is thrown to the caller to report).
   */
  async start(): Promise<void> {
    try {
      await this.reminders.start()
    } catch (error) {
      if (!this.#closed) this.#retry = this.#host.clock.setTimeout(() => void this.start().catch(() => undefined), START_RETRY_MS, true)
      throw error
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#host.clock.clearTimeout(this.#retry)
    this.shard.close()
    this.reminders.close()
    const store = this.#store
    this.#store = undefined
    const opened = store === undefined ? undefined : await store.catch(() => undefined)
    if (opened === undefined || !this.#config.ownsStore) return
    await (this.#config.release ? this.#config.release(opened) : opened.close())
  }
}
