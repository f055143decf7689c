// Savina PingPong: two actors, one message in flight. Workers import this module: actor classes only.
import { Actor, type ActorRef, type DeferredReply } from 'troupe'

/** Answers every `ping(from)` with `from.tell.pong()`; counts the pings. */
export class Pong extends Actor {
  #pings = 0

  ping(from: ActorRef<Ping>): void {
    this.#pings++
    from.tell.pong()
  }

  pings(): number {
    return this.#pings
  }
}

/**
 * Sends `count` pings one at a time: each pong triggers the next ping (Savina's `PingActor`),
 * so at most one message is ever in flight. `start` is answered with the pongs received once
 * the last one arrives.
 */
export class Ping extends Actor<Ping> {
  #pong: ActorRef<Pong> | undefined
  #left = 0
  #pongs = 0
  #done: DeferredReply<number> | undefined

  start(pong: ActorRef<Pong>, count: number): DeferredReply<number> {
    this.#pong = pong
    this.#left = count
    this.#pongs = 0
    this.#done = this.ctx.deferReply<number>()
    if (count === 0) this.#done.resolve(0)
    else this.#send()
    return this.#done
  }

  pong(): void {
    this.#pongs++
    if (this.#left > 0) this.#send()
    else this.#done?.resolve(this.#pongs)
  }

  #send(): void {
    this.#left--
    // Savina's messages carry their sender explicitly; a typed ref here needs no cast.
    this.#pong?.tell.ping(this.ctx.self)
  }
}
