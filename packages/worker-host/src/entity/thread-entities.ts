import { StoreError } from '@troupe/core'
import { ActorRefImpl, PIPE, stableHash } from '@troupe/core/internal'
import type { ActorCell } from '../host/actor-cell.js'
import { serviceId } from '../host/actor-ids.js'
import { envelope, type Envelope } from '../host/envelope.js'
import type { Host } from '../host/host.js'
import type { LocalActors } from '../host/local-actors.js'
import { isThenable } from '../host/message-target.js'
import type { EntityStore } from '../persistence/store/entity-store.js'
import { EntityShard, type Undeliverable } from './entity-shard.js'
import { ReminderService } from './reminder-service.js'
import type { Timer } from '../clock/clock.js'

/** How long a thread waits before it tries again to read its reminders from a store it could not open. */
const START_RETRY_MS = 5000

/** The thread an entity lives on: main when the system has no workers, else the worker its (type, key) hashes to. */
export function entityThread(storeId: string, workerCount: number): number {
  return workerCount === 0 ? 0 : 1 + (stableHash(storeId) % workerCount)
}

/** Where messages for entity `name`/`key` go from `host`: the system service of its thread. */
export function entityTarget(host: Host, name: string, key: string, workerCount: number): ActorRefImpl {
  const thread = entityThread(`${name}/${key}`, workerCount)
  return new ActorRefImpl(serviceId(thread), thread, `${name}/${key}`, host, undefined, 0, host.node)
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
    this.shard = new EntityShard({ host, actors, store, idleTimeoutMs: config.idleTimeoutMs, maxMessageBytes, failed })
    this.reminders = new ReminderService({
      clock: host.clock,
      store,
      isHome: (storeId) => entityThread(storeId, workerCount) === host.thread,
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
