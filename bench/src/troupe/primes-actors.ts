// The actor side of cpu.actors: counts the primes of one range per message.
import { Actor } from 'troupe'
import { countPrimes } from './primes-task.js'

export class PrimeCounter extends Actor {
  count(lo: number, hi: number): number {
    return countPrimes({ lo, hi })
  }
}
