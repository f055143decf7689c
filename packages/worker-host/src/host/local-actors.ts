import type { DeadLetterReason } from '@troupe/core'
import { STOP } from '@troupe/core/internal'
import { RouterCell } from '../router/router-cell.js'
import type { RoutedHandler } from '../protocol/wire.js'
import type { ActorCell } from './actor-cell.js'
import { settle, type Envelope } from './envelope.js'

/** What the actors of a thread need from its host when a message finds no actor. */
export interface LocalActorsOwner {
  undeliverable(recipient: number, envelope: Envelope, reason: DeadLetterReason): void
  replyOk(envelope: Envelope, value: unknown): void
}

/**
 * The actors of one thread, by id, and the ones it waits to re-create (its worker replaced a
 * dead one): messages for those wait here, in arrival order, until they are back.
 */
export class LocalActors implements RoutedHandler {
  readonly #owner: LocalActorsOwner
  readonly #cells = new Map<number, ActorCell>()
  readonly #awaiting = new Map<number, Envelope[]>()
  /**
   * The highest actor id hosted (or being restored) here. Main's directory allocates ids in
   * increasing order and never reuses them, so an id not alive here but not above this one
   * lived and stopped: late messages to it get "stopped", others "not found". One number
   * instead of a set of stopped ids, which grew with every actor that ever lived here.
   */
  #highestHosted = 0

  constructor(owner: LocalActorsOwner, restoring: readonly number[]) {
    this.#owner = owner
    for (const id of restoring) {
      this.#awaiting.set(id, [])
      if (id > this.#highestHosted) this.#highestHosted = id
    }
  }

  /** A message for an actor of this thread (sent here, or arrived from another thread). */
  deliver(target: number, envelope: Envelope): void {
    const cell = this.#cells.get(target)
    if (cell !== undefined) cell.enqueue(envelope)
    else if (this.#awaiting.has(target)) this.#hold(target, envelope)
    else this.#owner.undeliverable(target, envelope, target <= this.#highestHosted ? 'stopped' : 'not-found')
  }

  /** An actor created here: what was sent to it while it was being restored comes first, in order. */
  add(cell: ActorCell): void {
    this.#cells.set(cell.id, cell)
    if (cell.id > this.#highestHosted) this.#highestHosted = cell.id
    for (const envelope of this.#awaiting.get(cell.id) ?? []) cell.enqueue(envelope)
    this.#awaiting.delete(cell.id)
  }

  get(id: number): ActorCell | undefined {
    return this.#cells.get(id)
  }

  remove(cell: ActorCell): void {
    this.#cells.delete(cell.id)
  }

  /** `routee` has processed one message that the router `router`, an actor here, forwarded. */
  routed(router: number, routee: number): void {
    const cell = this.#cells.get(router)
    if (cell instanceof RouterCell) cell.routeeDone(routee)
  }

  get size(): number {
    return this.#cells.size
  }

  /** Ids kept for actors not (yet) alive here: those being restored. */
  get awaiting(): number {
    return this.#awaiting.size
  }

  cells(): IterableIterator<ActorCell> {
    return this.#cells.values()
  }

  /** A message for an actor being restored: kept for it, unless it is its stop order. */
  #hold(target: number, envelope: Envelope): void {
    if (envelope.selector !== STOP) {
      this.#awaiting.get(target)!.push(envelope)
      return
    }
    // Its supervisor decided not to restore it: what waited for it is undeliverable.
    for (const waiting of this.#awaiting.get(target)!) this.#owner.undeliverable(target, waiting, 'stopped')
    this.#awaiting.delete(target)
    settle(envelope)
    this.#owner.replyOk(envelope, undefined)
  }
}
