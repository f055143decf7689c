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
    for (let tries = 1; ; tries++) {
      try {
        const result = await this.#inventory.ask.buy(purchaseId, this.#name)
        return { ...result, tries }
      } catch (error) {
        if (!isRetryable(error) || tries >= MAX_TRIES) return { status: 'unanswered', purchaseId, tries, error: describeError(error) }
        await delay(retryDelayMs(tries))
      }
    }
  }
}
