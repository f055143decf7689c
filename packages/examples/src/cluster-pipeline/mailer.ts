import { setTimeout as sleep } from 'node:timers/promises'
import { Actor, type JobInfo } from 'troupe'
import { findNode, type NodeInfo } from './node-info.js'
import { SEND_MS } from './settings.js'
import { FLAKY, POISON, type UserRegistered } from './users.js'

/** What the provider answers when it refuses a mail. `code` is kept in the dead letter's error. */
export class SmtpError extends Error {
  override readonly name = 'SmtpError'
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Sends the welcome mail of a `user-registered` event. The provider is flaky for some users (it
 * refuses their first attempts) and never takes the poison user's mail; the durable handler
 * retries a refusal after `retryDelayMs`, and after `maxAttempts` sets the event aside as a
 * dead letter. The send is idempotent by user id (the outbox keeps one mail per user).
 */
export class Mailer extends Actor {
  #node: NodeInfo | undefined

  async sendWelcome(event: UserRegistered, job: JobInfo): Promise<'sent' | 'duplicate'> {
    const { directory, node, outbox } = (this.#node ??= await findNode((name) => this.ctx.lookup(name)))
    await sleep(SEND_MS)
    if (event.id === POISON) throw new SmtpError('550', `550 mailbox unavailable: ${event.email}`)
    if (job.attempt <= (FLAKY[event.id] ?? 0)) throw new SmtpError('421', `421 try again later (attempt ${job.attempt} for ${event.id})`)
    const result = await outbox.ask.send({ user: event.id, email: event.email, node, attempt: job.attempt })
    directory.tell.print({ type: 'mail', user: event.id, attempt: job.attempt, result })
    return result
  }
}
