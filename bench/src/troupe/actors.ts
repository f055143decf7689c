// Actors of troupe's own benchmarks. Workers import this module, so it holds only actor classes.
import { Actor, type ActorRef, type DeferredReply } from 'troupe'

/** What a Receiver has seen since it was armed: every benchmark checks it against the expected figures. */
export interface Tally {
  readonly count: number
  readonly sum: number
}

/** Counts `hit(n)` tells and answers `done()` once the armed number has arrived. */
export class Receiver extends Actor {
  #count = 0
  #sum = 0
  #expected = 0
  #waiter: DeferredReply<Tally> | undefined

  /** Resets the tally and expects `count` hits; answered at once, so the caller knows it is armed. */
  arm(count: number): void {
    this.#count = 0
    this.#sum = 0
    this.#expected = count
    this.#waiter = undefined
  }

  hit(n: number): void {
    this.#sum += n
    if (++this.#count === this.#expected) this.#finish()
  }

  /** Answers with the tally once the armed number of hits has arrived (at once if it already has). */
  done(): Tally | DeferredReply<Tally> {
    if (this.#count >= this.#expected) return this.#tally()
    // A latch: the reply waits while this actor keeps taking hits.
    this.#waiter = this.ctx.deferReply<Tally>()
    return this.#waiter
  }

  /** Sent by a CreditSender after each chunk: reaching it means the chunk was processed, so grant more. */
  credit(sender: ActorRef<CreditSender>): void {
    sender.tell.more()
  }

  #finish(): void {
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.resolve(this.#tally())
  }

  #tally(): Tally {
    return { count: this.#count, sum: this.#sum }
  }

  thread(): number {
    return this.ctx.thread
  }
}

/**
 * Sends hit(from) .. hit(to - 1) to a Receiver from its own handler, `chunk` tells per message:
 * after each chunk it tells itself to go on, so the stream is an actor-to-actor stream and the
 * sender's thread stays responsive between chunks.
 */
export class Sender extends Actor<Sender> {
  burst(target: ActorRef<Receiver>, from: number, to: number, chunk: number): void {
    const end = Math.min(from + chunk, to)
    for (let n = from; n < end; n++) target.tell.hit(n)
    if (end < to) this.ctx.self.tell.burst(target, end, to, chunk)
  }

  thread(): number {
    return this.ctx.thread
  }
}

/**
 * A Sender with flow control: at most `window` chunks are outstanding. Each chunk ends with a
 * `credit` tell to the receiver, which answers with `more()` once it has processed the chunk.
 * The receiver's mailbox thus stays under about `window * chunk` messages.
 */
export class CreditSender extends Actor<CreditSender> {
  #target: ActorRef<Receiver> | undefined
  #next = 0
  #to = 0
  #chunk = 1

  start(target: ActorRef<Receiver>, count: number, chunk: number, window: number): void {
    this.#target = target
    this.#next = 0
    this.#to = count
    this.#chunk = chunk
    for (let i = 0; i < window; i++) this.more()
  }

  more(): void {
    const target = this.#target
    if (target === undefined || this.#next >= this.#to) return
    const end = Math.min(this.#next + this.#chunk, this.#to)
    for (let n = this.#next; n < end; n++) target.tell.hit(n)
    this.#next = end
    target.tell.credit(this.ctx.self)
  }

  thread(): number {
    return this.ctx.thread
  }
}

/** The ask target: a trivial method, so the figure is the cost of the round trip. */
export class Incrementer extends Actor {
  inc(n: number): number {
    return n + 1
  }
}
