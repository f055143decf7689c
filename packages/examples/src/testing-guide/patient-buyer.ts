import { Actor, type ActorRef } from 'troupe'
import type { Inventory } from '../flash-sale/inventory.js'
import type { AttemptOutcome } from '../flash-sale/purchase.js'
import { describeError, isRetryable, MAX_TRIES, retryDelayMs } from '../flash-sale/retry.js'

/** What a `PatientBuyer` tells its listener: each backoff, then the outcome of the attempt. */
export type BuyerNote =
  | { readonly status: 'retrying'; readonly purchaseId: string; readonly tries: number; readonly inMs: number; readonly code: string }
  | AttemptOutcome

/** Anything that takes notes: an actor with `receive(note)`, such as a test probe. */
export interface NoteTaker {
  receive(note: BuyerNote): void
}

/**
 * The flash sale's `Buyer` retry policy (same errors, same 10, 20, 40 ... ms backoff, same
 * purchase id on every try), with the wait on `ctx.schedule` instead of `setTimeout`: the
 * actor's own timer, which manual time controls in tests. Every step is told to `notes`.
 */
export class PatientBuyer extends Actor {
  readonly #inventory: ActorRef<Inventory>
  readonly #name: string
  readonly #notes: ActorRef<NoteTaker>

  constructor(inventory: ActorRef<Inventory>, name: string, notes: ActorRef<NoteTaker>) {
    super()
    this.#inventory = inventory
    this.#name = name
    this.#notes = notes
  }

  buy(purchaseId: string): void {
    this.#attempt(purchaseId, 1)
  }

  #attempt(purchaseId: string, tries: number): void {
    this.ctx.pipeToSelf(
      this.#inventory.ask.buy(purchaseId, this.#name),
      (result) => this.#notes.tell({ ...result, tries }),
      (error) => {
        if (!isRetryable(error) || tries >= MAX_TRIES) {
          this.#notes.tell({ status: 'unanswered', purchaseId, tries, error: describeError(error) })
          return
        }
        const inMs = retryDelayMs(tries)
        this.#notes.tell({ status: 'retrying', purchaseId, tries, inMs, code: (error as { code: string }).code })
        this.ctx.schedule(inMs, () => this.#attempt(purchaseId, tries + 1))
      },
    )
  }
}
