// Savina Fork-Join Throughput: many actors, each handling a stream of small fixed computations. Actor classes only.
import { Actor } from 'troupe'
import { THETA, performComputation } from './util.js'

/** Savina's `ThroughputActor`: per message, Savina's fixed computation and a count. */
export class ThroughputActor extends Actor {
  #processed = 0

  process(): void {
    performComputation(THETA)
    this.#processed++
  }

  processed(): number {
    return this.#processed
  }
}
