import { describe, expectTypeOf, it } from 'vitest'
import { registerErrorClass, type ActorContext, type Cancellable } from '../src/index.js'

describe('timers and error classes', () => {
  it('ctx.schedule returns a Cancellable; registerErrorClass takes Error subclasses only', () => {
    expectTypeOf<ActorContext['schedule']>().returns.toEqualTypeOf<Cancellable>()
    expectTypeOf<ActorContext['schedule']>().parameters.toEqualTypeOf<[delayMs: number, callback: () => unknown]>()
    class Overdrawn extends Error {}
    registerErrorClass(Overdrawn)
    // @ts-expect-error not an Error subclass
    registerErrorClass(class NotAnError {})
  })
})
