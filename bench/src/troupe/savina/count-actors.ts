// Savina Counting: a producer floods a counter, then asks for the total. Actor classes only.
import { Actor, type ActorRef } from 'troupe'

export class Counter extends Actor {
  #count = 0

  increment(): void {
    this.#count++
  }

  total(): number {
    return this.#count
  }
}

/**
 * Savina's `ProducerActor`: sends `count` increments from one handler (no flow control, as in
 * Savina), then asks the counter for its total, which per-sender FIFO puts behind every
 * increment. An actor may await an ask: this one has nothing else to do meanwhile.
 */
export class Producer extends Actor {
  async run(counter: ActorRef<Counter>, count: number): Promise<number> {
    for (let i = 0; i < count; i++) counter.tell.increment()
    return counter.ask.total()
  }
}
