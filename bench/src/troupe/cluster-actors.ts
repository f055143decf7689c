// Actors of the cluster.* benchmarks besides those of actors.ts. Workers import this module, so
// it holds only actor classes.
import { Actor, type ActorRef } from 'troupe'
import type { Incrementer } from './actors.js'

/**
 * Asks an Incrementer (on another node) `inc(n)` for n = 0 .. calls - 1, one in flight, from
 * this actor's thread; answers with each round trip in µs. A wrong answer throws, which fails
 * the actor and with it the run.
 */
export class RemoteAsker extends Actor {
  async roundTrips(target: ActorRef<Incrementer>, calls: number): Promise<number[]> {
    const samples: number[] = []
    for (let n = 0; n < calls; n++) {
      const started = performance.now()
      const answer = await target.ask.inc(n)
      samples.push((performance.now() - started) * 1000)
      if (answer !== n + 1) throw new Error(`inc(${n}) answered ${answer}`)
    }
    return samples
  }

  thread(): number {
    return this.ctx.thread
  }
}
