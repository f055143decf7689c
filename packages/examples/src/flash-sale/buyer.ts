import { Actor, type ActorRef } from 'troupe'
import type { Inventory } from './inventory.js'
import type { AttemptOutcome, ShoppingReport } from './purchase.js'
import { delay, describeError, isRetryable, MAX_TRIES, retryDelayMs } from './retry.js'

/**
 * Tries to buy one unit per purchase id, all of a chunk at once. An ask that fails in a way
 * that leaves the purchase uncertain (the inventory's worker crashed, say) is retried with the
 * same purchase id, so a purchase that did go through is answered from the record instead of
 * selling a second unit.
 */
export class Buyer extends Actor {
  readonly #inventory: ActorRef<Inventory>
  readonly #name: string

  constructor(inventory: ActorRef<Inventory>, name: string) {
    super()
    this.#inventory = inventory
    this.#name = name
  }

  /** An async handler: the buyer has nothing else to do until its chunk is answered. */
  async shop(purchaseIds: readonly string[]): Promise<ShoppingReport> {
    const outcomes = await Promise.all(purchaseIds.map((purchaseId) => this.#attempt(purchaseId)))
    return { thread: this.ctx.thread, outcomes }
  }

  async #attempt(purchaseId: string): Promise<AttemptOutcome> {
    let lastFailure = ''
    for (let tries = 1; tries <= MAX_TRIES; tries++) {
      try {
        const result = await this.#inventory.ask.buy(purchaseId, this.#name)
        // A reply is matched to its ask by a number that restarts when a worker is replaced, so
        // after a crash an answer meant for the previous life of this buyer's worker could land
        // here. It is not ours: ask again (safe, the inventory is idempotent per purchase id).
        if (result.purchaseId === purchaseId) return { ...result, tries }
        lastFailure = `a reply for ${result.purchaseId}`
      } catch (error) {
        if (!isRetryable(error)) return { status: 'unanswered', purchaseId, tries, error: describeError(error) }
        lastFailure = describeError(error)
        await delay(retryDelayMs(tries))
      }
    }
    return { status: 'unanswered', purchaseId, tries: MAX_TRIES, error: lastFailure }
  }
}
