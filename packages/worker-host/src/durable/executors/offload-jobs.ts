import { JobTimeoutError, OffloadTimeoutError, type JobInfo, type TaskRef } from '@troupe/core'
import type { ActorSystem } from '../../system/actor-system.js'
import type { JobExecutor } from './job-executor.js'

/**
 * Jobs as tasks in the system's offload pool (piscina): the event is the task's input. Past
 * `timeoutMs` (counted from the job's start, time queued in the pool included) the pool
 * terminates the task's thread, so a timed-out job really stops.
 */
export class OffloadJobs implements JobExecutor {
  readonly #system: ActorSystem
  readonly #task: TaskRef
  readonly #handler: string

  constructor(system: ActorSystem, task: TaskRef, handler: string) {
    this.#system = system
    this.#task = task
    this.#handler = handler
  }

  async run(event: unknown, _job: JobInfo, timeoutMs: number): Promise<unknown> {
    try {
      return await this.#system.offload(this.#task, event as never, { timeoutMs })
    } catch (error) {
      if (error instanceof OffloadTimeoutError) throw new JobTimeoutError(this.#handler, timeoutMs)
      throw error
    }
  }

  async close(): Promise<void> {
    // The pool is the system's: it closes at shutdown.
  }
}
