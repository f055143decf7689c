import type { DeadLetterReason } from '@troupe/core'
import { STOP, TERMINATED } from '@troupe/core/internal'
import { ID_THREADS, type ActorIds } from './actor-ids.js'
import { RouterCell } from '../router/router-cell.js'
import type { RoutedHandler } from '../protocol/wire.js'
import type { ActorCell } from './actor-cell.js'
import { settle, type Envelope } from './envelope.js'

/** What the actors of a thread need from its host when a message finds no actor. */
export interface LocalActorsOwner {
  undeliverable(recipient: number, envelope: Envelope, reason: DeadLetterReason, error?: Error): void
  replyOk(envelope: Envelope, value: unknown): void
  /** A message for this thread's system service (see `SPAWN`). */
  serve(envelope: Envelope): void
}

/**
 * The actors of one thread, by id, and the ones it waits to re-create (its worker replaced a
 * dead one): messages for those wait here, in arrival order, until they are back.
 */
export class LocalActors implements RoutedHandler {
  readonly #owner: LocalActorsOwner
  readonly #cells = new Map<number, ActorCell>()
  readonly #awaiting = new Map<number, Envelope[]>()
  /** Of the awaited, those spawned here whose class is being loaded: a stop waits for them too. */
  readonly #starting = new Set<number>()
  readonly #ids: ActorIds
  /** The id of this thread's system service, which no actor has. */
  readonly #serviceId: number
  /**
   * The highest id allocated by the main thread that is hosted (or being restored) here. Ids are
   * never reused and each thread allocates its own in increasing order, so an id not alive here
   * that this thread allocated, or that main allocated and is not above this one, lived and
   * stopped: late messages to it get "stopped", others "not found". Numbers instead of a set of
   * stopped ids, which grew with every actor that ever lived here.
   */
  #highestFromMain = 0

  constructor(owner: LocalActorsOwner, ids: ActorIds, restoring: readonly number[]) {
    this.#owner = owner
    this.#ids = ids
    this.#serviceId = ids.serviceId
    for (const id of restoring) {
      this.#awaiting.set(id, [])
      this.#hosted(id)
    }
  }

  #hosted(id: number): void {
    if (id % ID_THREADS === 0 && id > this.#highestFromMain) this.#highestFromMain = id
  }

  /** A message for an actor of this thread (sent here, or arrived from another thread). */
  deliver(target: number, envelope: Envelope): void {
    const cell = this.#cells.get(target)
    if (cell !== undefined) cell.enqueue(envelope)
    else if (target === this.#serviceId) this.#owner.serve(envelope)
    else if (this.#awaiting.has(target)) this.#hold(target, envelope)
    else if (envelope.selector === TERMINATED && envelope.correlation === 0) settle(envelope) // nobody left to tell
    else this.#owner.undeliverable(target, envelope, this.#lived(target) ? 'stopped' : 'not-found')
  }

  #lived(id: number): boolean {
    return this.#ids.allocatedHere(id) || (id % ID_THREADS === 0 && id <= this.#highestFromMain)
  }

  /** An actor created here: what was sent to it while it was being restored comes first, in order. */
  add(cell: ActorCell): void {
    this.#cells.set(cell.id, cell)
    this.#hosted(cell.id)
    const waiting = this.#awaiting.get(cell.id)
    if (waiting === undefined) return
    this.#awaiting.delete(cell.id)
    this.#starting.delete(cell.id)
    for (const envelope of waiting) cell.enqueue(envelope)
  }

  /** An actor spawned here whose class is still being loaded: its messages wait for it. */
  expect(id: number): void {
    this.#awaiting.set(id, [])
    this.#starting.add(id)
  }

  /** An awaited actor will not come: what waited for it is undeliverable, for this reason. */
  abandon(id: number, reason: DeadLetterReason, error?: Error): void {
    const waiting = this.#awaiting.get(id) ?? []
    this.#awaiting.delete(id)
    this.#starting.delete(id)
    for (const envelope of waiting) {
      if (envelope.selector === STOP) {
        settle(envelope)
        this.#owner.replyOk(envelope, undefined)
      } else this.#owner.undeliverable(id, envelope, reason, error)
    }
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
    if (envelope.selector !== STOP || this.#starting.has(target)) {
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
