import { setTimeout as sleep } from 'node:timers/promises'
import { Actor, type ActorRef, type JobInfo } from 'troupe'
import type { Directory, NodeInfo } from './directory.js'
import type { TaskJob } from './jobs.js'
import { JOB_TIMEOUT_MS, RECEIPT_MS } from './settings.js'

/**
 * Runs one job per ask: the actors of the three durable handlers (one per priority). A job works
 * for its cost, may fail transiently (retried by the handler after `retryDelayMs`), applies its
 * effect on the tally (idempotent by job id), then writes a receipt before it returns: only then
 * is the job acknowledged.
 */
export class TaskRunner extends Actor {
  #node: (NodeInfo & { readonly directory: ActorRef<Directory> }) | undefined

  async run(job: TaskJob, info: JobInfo): Promise<'applied' | 'duplicate'> {
    const node = await this.#nodeInfo()
    const deadline = Date.now() + JOB_TIMEOUT_MS[job.priority]
    if (job.hangsFirst && info.attempt === 1) {
      // A dependency that never answers: the handler fails this attempt at the deadline
      // (JobTimeoutError) and retries it; this actor gives up a little later, without an effect.
      await sleep(JOB_TIMEOUT_MS[job.priority] + 200)
    } else {
      await sleep(job.costMs * node.slowness)
      if (info.attempt <= job.failUntil) throw new Error(`${job.id}: dependency busy (attempt ${info.attempt})`)
    }
    // Never apply a result after the job's deadline: its attempt has already failed and another
    // one may be on its way.
    if (Date.now() > deadline) throw new Error(`${job.id}: past its deadline, effect not applied`)
    const result = await node.tally.ask.apply(job.id, node.node, info.attempt)
    node.directory.tell.applied(job.id, info.attempt, result)
    await sleep(RECEIPT_MS)
    return result
  }

  async #nodeInfo(): Promise<NodeInfo & { readonly directory: ActorRef<Directory> }> {
    if (!this.#node) {
      const directory = await this.ctx.lookup<Directory>('directory')
      if (!directory) throw new Error('no directory on this node')
      this.#node = { ...(await directory.ask.info()), directory }
    }
    return this.#node
  }
}
