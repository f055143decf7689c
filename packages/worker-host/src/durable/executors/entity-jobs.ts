import { AskTimeoutError, JobTimeoutError, type EntityClass, type EntityTypeRef, type JobInfo } from '@troupe/core'
import type { ActorSystem } from '../../system/actor-system.js'
import { askMethod } from './actor-pool.js'
import type { JobExecutor } from './job-executor.js'

/**
 * Jobs as asks to the entity `key(event)` (activated on the thread its key hashes to, with its
 * state loaded). An entity takes one message at a time, so jobs for one key run one after
 * another; a timed-out job's handler still finishes before the entity's next message.
 */
export class EntityJobs implements JobExecutor {
  readonly #system: ActorSystem
  readonly #type: EntityClass | EntityTypeRef
  readonly #method: string
  readonly #handler: string
  readonly #key: (event: unknown) => string

  constructor(system: ActorSystem, type: EntityClass | EntityTypeRef, method: string, handler: string, key: (event: unknown) => string) {
    this.#system = system
    this.#type = type
    this.#method = method
    this.#handler = handler
    this.#key = key
  }

  async run(event: unknown, job: JobInfo, timeoutMs: number): Promise<unknown> {
    const key = this.#key(event)
    if (typeof key !== 'string') throw new TypeError(`the key option of durable handler ${this.#handler} returned ${typeof key}, not a string`)
    try {
      return await askMethod(this.#system.entity(this.#type, key), this.#method, timeoutMs)(event, job)
    } catch (error) {
      if (error instanceof AskTimeoutError) throw new JobTimeoutError(this.#handler, timeoutMs)
      throw error
    }
  }

  async close(): Promise<void> {
    // Entities belong to the system: nothing of theirs to stop here.
  }
}
