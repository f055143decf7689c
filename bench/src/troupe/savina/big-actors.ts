// Savina Big: many actors pinging random peers, one ping outstanding each. Actor classes only.
import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import { seededRandom } from './util.js'

/** What a BigActor did: every driver checks it against the expected totals. */
export interface BigTally {
  readonly pingsSent: number
  readonly pongsReceived: number
  readonly pingsReceived: number
}

/** Counts `exit` tells and answers `done()` once every actor has sent its last ping and got its pong. */
export class BigSink extends Actor {
  #exits = 0
  #expected = 0
  #waiter: DeferredReply<number> | undefined

  arm(expected: number): void {
    this.#exits = 0
    this.#expected = expected
    this.#waiter = undefined
  }

  exit(): void {
    if (++this.#exits === this.#expected) this.#waiter?.resolve(this.#exits)
  }

  done(): number | DeferredReply<number> {
    if (this.#exits >= this.#expected) return this.#exits
    this.#waiter = this.ctx.deferReply<number>()
    return this.#waiter
  }
}

/**
 * Savina's `BigActor`: sends `pings` pings, one at a time, each to a random peer (itself
 * included) and the next only after the pong; answers every ping it receives with a pong. Peers
 * are addressed by index, as in Savina, and a pong from any other peer than the one pinged is
 * a failure.
 */
export class BigActor extends Actor {
  readonly #index: number
  readonly #pings: number
  readonly #sink: ActorRef<BigSink>
  readonly #random: (bound: number) => number
  #peers: readonly ActorRef<BigActor>[] = []
  #pinged = -1
  #pingsSent = 0
  #pongsReceived = 0
  #pingsReceived = 0

  constructor(index: number, pings: number, sink: ActorRef<BigSink>) {
    super()
    this.#index = index
    this.#pings = pings
    this.#sink = sink
    this.#random = seededRandom(index + 1)
  }

  /** Every actor of the run, this one included, by index. */
  meet(peers: readonly ActorRef<BigActor>[]): void {
    this.#peers = peers
  }

  start(): void {
    if (this.#pings === 0) this.#sink.tell.exit()
    else this.#sendPing()
  }

  ping(from: number): void {
    this.#pingsReceived++
    this.#peer(from).tell.pong(this.#index)
  }

  pong(from: number): void {
    if (from !== this.#pinged) throw new Error(`actor ${this.#index}: pong from ${from}, pinged ${this.#pinged}`)
    this.#pongsReceived++
    this.#pinged = -1
    if (this.#pingsSent === this.#pings) this.#sink.tell.exit()
    else this.#sendPing()
  }

  tally(): BigTally {
    return { pingsSent: this.#pingsSent, pongsReceived: this.#pongsReceived, pingsReceived: this.#pingsReceived }
  }

  #sendPing(): void {
    const target = this.#random(this.#peers.length)
    this.#pinged = target
    this.#pingsSent++
    this.#peer(target).tell.ping(this.#index)
  }

  #peer(index: number): ActorRef<BigActor> {
    const peer = this.#peers[index]
    if (peer === undefined) throw new Error(`actor ${this.#index}: no peer ${index}`)
    return peer
  }
}
