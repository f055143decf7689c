import { Actor } from '../../../src/index.js'

/** An actor in its own module: the way out the error message proposes. */
export class Greeter extends Actor {
  hi(): string {
    return 'hi from its own module'
  }
}
