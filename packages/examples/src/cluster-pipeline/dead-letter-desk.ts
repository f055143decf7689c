import { Actor, type DeadLetterEvent, type JobInfo } from 'troupe'
import { findNode, type NodeInfo } from './node-info.js'
import type { UserRegistered } from './users.js'

/**
 * The second handler: of the stream's dead letters. Here it reports them (a person would be
 * alerted, or the event replayed once the address is fixed).
 */
export class DeadLetterDesk extends Actor {
  #node: NodeInfo | undefined

  async report(dead: DeadLetterEvent<UserRegistered>, _job: JobInfo): Promise<void> {
    const { directory } = (this.#node ??= await findNode((name) => this.ctx.lookup(name)))
    directory.tell.print({ type: 'dead-letter', user: dead.event?.id, email: dead.event?.email, attempts: dead.attempts, handler: dead.handler, error: dead.error, deadOn: dead.node, seq: dead.seq })
  }
}
