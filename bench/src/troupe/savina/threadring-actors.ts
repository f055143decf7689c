// Savina ThreadRing: a token passed around a ring of actors. Actor classes only.
import { Actor, type ActorRef, type DeferredReply } from 'troupe'

/** Told by the ring member that receives the token with no hops left. */
export class RingLatch extends Actor {
  #finisher: number | undefined
  #waiter: DeferredReply<number> | undefined

  finished(member: number): void {
    this.#finisher = member
    this.#waiter?.resolve(member)
  }

  /** Answers with the index of the member where the token ended. */
  done(): number | DeferredReply<number> {
    if (this.#finisher !== undefined) return this.#finisher
    this.#waiter = this.ctx.deferReply<number>()
    return this.#waiter
  }
}

/** Savina's `ThreadRingActor`: passes `token(hopsLeft - 1)` to its successor while hops are left. */
export class RingMember extends Actor {
  readonly #index: number
  readonly #latch: ActorRef<RingLatch>
  #next: ActorRef<RingMember> | undefined
  #forwarded = 0

  constructor(index: number, latch: ActorRef<RingLatch>) {
    super()
    this.#index = index
    this.#latch = latch
  }

  link(next: ActorRef<RingMember>): void {
    this.#next = next
  }

  token(hopsLeft: number): void {
    if (hopsLeft > 0) {
      this.#forwarded++
      this.#next?.tell.token(hopsLeft - 1)
    } else {
      this.#latch.tell.finished(this.#index)
    }
  }

  forwarded(): number {
    return this.#forwarded
  }
}
