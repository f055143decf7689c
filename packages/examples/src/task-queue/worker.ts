import { setTimeout as sleep } from 'node:timers/promises'
import { Actor, type ActorRef } from 'troupe'
import { CRUNCH_TASK } from './actor-modules.js'
import type { ResultAggregator } from './aggregator.js'
import type { Attempt, Job } from './types.js'

/**
 * A routee of the worker pool: runs one attempt at a time. The pool's `balancing` router with
 * `prefetch: 1` gives it a task only when it is idle, so a long task here never holds up a short
 * one that another, idle worker can take.
 *
 * It reports the start and end of each attempt to the aggregator itself (one sender, so the two
 * arrive in order) and answers the master with the attempt's result. A failing task is an
 * answer, not a failure of this actor: the master decides about retries, and the worker stays.
 */
export class TaskWorker extends Actor {
  readonly #aggregator: ActorRef<ResultAggregator>

  constructor(aggregator: ActorRef<ResultAggregator>) {
    super()
    this.#aggregator = aggregator
  }

  async run(job: Job): Promise<Attempt> {
    const worker = this.ctx.self.id
    // The master checks deadlines before it hands a task out; this covers the time in between.
    if (job.deadlineAt !== undefined && Date.now() >= job.deadlineAt) {
      this.#aggregator.tell.finished(worker, job.id, 'expired')
      return { status: 'expired', worker }
    }
    this.#aggregator.tell.started(worker, job.id)
    const attempt = await this.#attempt(job, worker)
    this.#aggregator.tell.finished(worker, job.id, attempt.status)
    return attempt
  }

  thread(): number {
    return this.ctx.thread
  }

  async #attempt(job: Job, worker: number): Promise<Attempt> {
    const fail = job.failures === 'always' || job.attempt <= job.failures
    try {
      if (job.kind === 'cpu') {
        // Awaiting keeps this worker on the task (it is busy, as the router must see it) while
        // the computation runs on a pool thread and this thread's other actors go on.
        const { checksum } = await this.ctx.offload(CRUNCH_TASK, { units: job.cost, seed: seedOf(job.id), fail })
        return { status: 'ok', worker, checksum }
      }
      await sleep(job.cost) // an I/O-bound task: waiting on something else, not computing
      if (fail) throw new Error(`${job.id}: the service it calls refused attempt ${job.attempt}`)
      return { status: 'ok', worker, checksum: seedOf(job.id) }
    } catch (error) {
      return { status: 'error', worker, reason: error instanceof Error ? error.message : String(error) }
    }
  }
}

/** A stable number per task id: the crunch seed, so a task's checksum is the same on every run. */
function seedOf(id: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193)
  return hash >>> 0
}
