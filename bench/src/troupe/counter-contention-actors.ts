// Actors of actor.counter: workers import this module, so it holds only actor classes.
import { Actor, type ActorRef, type DeferredReply } from 'troupe'

/** The one shared counter: every increment is a message, so its mailbox serialises them. */
export class Counter extends Actor {
  #count = 0
  #expected = 0
  #waiter: DeferredReply<number> | undefined

  /** Resets the count and expects `expected` increments; answered at once, so the caller knows it is armed. */
  arm(expected: number): void {
    this.#count = 0
    this.#expected = expected
    this.#waiter = undefined
  }

  inc(): void {
    if (++this.#count === this.#expected) this.#waiter?.resolve(this.#count)
  }

  /** Sent by an IncrementSender after each chunk: reaching it means the chunk was counted, so grant more. */
  credit(sender: ActorRef<IncrementSender>): void {
    sender.tell.more()
  }

  /** The latch: answers with the count once the armed number of increments has arrived. */
  done(): number | DeferredReply<number> {
    if (this.#count >= this.#expected) return this.#count
    this.#waiter = this.ctx.deferReply<number>()
    return this.#waiter
  }

  thread(): number {
    return this.ctx.thread
  }
}

/**
 * Tells `inc()` to the Counter `count` times, at most `window` chunks outstanding: each chunk
 * ends with a `credit` tell that the counter answers with `more()` once it has counted the chunk.
 */
export class IncrementSender extends Actor<IncrementSender> {
  #counter: ActorRef<Counter> | undefined
  #left = 0
  #chunk = 1

  start(counter: ActorRef<Counter>, count: number, chunk: number, window: number): void {
    this.#counter = counter
    this.#left = count
    this.#chunk = chunk
    for (let i = 0; i < window; i++) this.more()
  }

  more(): void {
    const counter = this.#counter
    if (counter === undefined || this.#left === 0) return
    const n = Math.min(this.#chunk, this.#left)
    for (let i = 0; i < n; i++) counter.tell.inc()
    this.#left -= n
    counter.tell.credit(this.ctx.self)
  }

  thread(): number {
    return this.ctx.thread
  }
}
