import { Actor } from '@troupe/core'

/** A valid actor whose module is deliberately not on the test systems' allow-list. */
export class Forbidden extends Actor {
  secret(): string {
    return 'should never run'
  }
}
