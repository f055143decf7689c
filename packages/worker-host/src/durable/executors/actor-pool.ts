import { ActorNotFoundError, ActorStoppedError, AskTimeoutError, JobTimeoutError, type ActorClass, type ActorRef, type ActorTypeRef, type JobInfo } from '@troupe/core'
import type { ActorSystem } from '../../system/actor-system.js'
import type { JobExecutor } from './job-executor.js'

type JobMethod = (event: unknown, job: JobInfo) => Promise<unknown>

/** Calls `method` on a ref by name (the name was checked against the class's type at `handle`). */
export function askMethod(ref: ActorRef, method: string, timeoutMs: number): JobMethod {
  return (ref.with({ timeoutMs }).ask as unknown as Record<string, JobMethod>)[method]!
}

/**
 * Jobs as asks to a pool of up to `size` actors of one class, spawned by the handler (the first
 * at once, so that a class off the allow-list fails `handle`; the others as jobs need them).
 * Each actor has at most one job at a time, so `size` = `maxJobs` actors never queue jobs behind
 * each other. An actor whose job timed out is retired (JavaScript cannot interrupt its handler:
 * it is stopped once that handler returns) and a fresh one takes its place.
 */
export class ActorPool implements JobExecutor {
  readonly #system: ActorSystem
  readonly #type: ActorClass | ActorTypeRef
  readonly #method: string
  readonly #handler: string
  readonly #size: number
  readonly #idle: ActorRef[] = []
  readonly #waiting: ((ref: ActorRef) => void)[] = []
  readonly #all = new Set<ActorRef>()
  /** Actors being spawned (counted in the pool's size). */
  #spawning = 0
  #closed = false

  private constructor(system: ActorSystem, type: ActorClass | ActorTypeRef, method: string, handler: string, size: number) {
    this.#system = system
    this.#type = type
    this.#method = method
    this.#handler = handler
    this.#size = size
  }

  static async start(system: ActorSystem, type: ActorClass | ActorTypeRef, method: string, handler: string, size: number): Promise<ActorPool> {
    const pool = new ActorPool(system, type, method, handler, size)
    const first = await pool.#spawn()
    pool.#idle.push(first)
    return pool
  }

  async run(event: unknown, job: JobInfo, timeoutMs: number): Promise<unknown> {
    const deadline = Date.now() + timeoutMs
    const ref = await this.#take()
    if (Date.now() >= deadline) {
      // Waited for an actor past the job's deadline (its attempt has been failed meanwhile): do not run it late.
      this.#give(ref)
      throw new JobTimeoutError(this.#handler, timeoutMs)
    }
    try {
      const result = await askMethod(ref, this.#method, Math.max(1, deadline - Date.now()))(event, job)
      this.#give(ref)
      return result
    } catch (error) {
      if (error instanceof AskTimeoutError) {
        this.#retire(ref)
        throw new JobTimeoutError(this.#handler, timeoutMs)
      }
      // Stopped for good (by someone else, or its supervisor gave up): replace it.
      if (error instanceof ActorStoppedError || error instanceof ActorNotFoundError) this.#retire(ref)
      else this.#give(ref)
      throw error
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    const actors = [...this.#all]
    this.#all.clear()
    this.#idle.length = 0
    await Promise.all(actors.map((ref) => this.#system.stop(ref).catch(() => undefined)))
  }

  #spawn(): Promise<ActorRef> {
    this.#spawning++
    // The handler's class is constructed without arguments (see docs/durable-handlers.md).
    const spawn = this.#system.spawn as (type: ActorClass | ActorTypeRef) => Promise<ActorRef>
    return spawn.call(this.#system, this.#type).then(
      (ref) => {
        this.#spawning--
        this.#all.add(ref)
        return ref
      },
      (error: unknown) => {
        this.#spawning--
        throw error
      },
    )
  }

  /** An idle actor, a new one while the pool is below its size, or the next one given back. */
  #take(): Promise<ActorRef> {
    const idle = this.#idle.pop()
    if (idle) return Promise.resolve(idle)
    if (this.#all.size + this.#spawning < this.#size) return this.#spawn()
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  #give(ref: ActorRef): void {
    if (this.#closed || !this.#all.has(ref)) return
    const next = this.#waiting.shift()
    if (next) next(ref)
    else this.#idle.push(ref)
  }

  #retire(ref: ActorRef): void {
    this.#all.delete(ref)
    // A stop waits behind the running handler, bounded by the system's stopTimeoutMs.
    void this.#system.stop(ref).catch(() => undefined)
    const next = this.#waiting.shift()
    if (!next || this.#closed) return
    // A job waits for an actor: spawn its replacement now (a failed spawn is retried by the next job).
    this.#spawn().then(next, () => this.#waiting.unshift(next))
  }
}
