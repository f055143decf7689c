import { Actor, type ActorRef } from 'troupe'
import type { TaskMaster } from './master.js'
import type { TaskSpec } from './types.js'

export interface FloodReport {
  readonly submitted: number
  /** Submits that had to wait for room in the master's queue. */
  readonly waited: number
  /** The deepest queue any receipt reported: sampled once per submitted task. */
  readonly maxDepth: number
}

/**
 * A client faster than the workers: it submits as fast as the master admits. Awaiting each
 * `submit` is what holds it back: the master answers only once the task is in its queue, and
 * beyond the queue's capacity that is when a worker has made room.
 */
export class Submitter extends Actor {
  async flood(master: ActorRef<TaskMaster>, tasks: readonly TaskSpec[], timeoutMs: number): Promise<FloodReport> {
    let waited = 0
    let maxDepth = 0
    for (const task of tasks) {
      const receipt = await master.with({ timeoutMs }).ask.submit(task)
      if (receipt.waited) waited++
      maxDepth = Math.max(maxDepth, receipt.depth)
    }
    return { submitted: tasks.length, waited, maxDepth }
  }

  thread(): number {
    return this.ctx.thread
  }
}
