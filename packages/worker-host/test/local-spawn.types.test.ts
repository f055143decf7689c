import { describe, expectTypeOf, it } from 'vitest'
import { Actor, type ActorContext, type ActorRef, type Placement, type SpawnOptions } from '../src/index.js'

class Child extends Actor {
  constructor(readonly label: string) {
    super()
  }
  ping(): string {
    return this.label
  }
}

class Plain extends Actor {
  hello(): void {}
}

describe('ctx.spawn: a ref at once for a local child, a promise for a child elsewhere', () => {
  it('returns ActorRef for the default and local placements', () => {
    const ctx = {} as ActorContext
    const spawn = (): void => {
      expectTypeOf(ctx.spawn(Plain)).toEqualTypeOf<ActorRef<Plain>>()
      expectTypeOf(ctx.spawn(Child, { args: ['a'] })).toEqualTypeOf<ActorRef<Child>>()
      expectTypeOf(ctx.spawn(Child, { args: ['a'], placement: 'local' })).toEqualTypeOf<ActorRef<Child>>()
      // The ref is usable at once, typed by the child's methods.
      ctx.spawn(Child, { args: ['a'] }).tell.ping()
      // @ts-expect-error required constructor arguments
      ctx.spawn(Child)
      // @ts-expect-error no such method on the child
      ctx.spawn(Plain).tell.ping()
    }
    void spawn
  })

  it('returns a promise for placements on another thread, and either for an unknown placement', () => {
    const ctx = {} as ActorContext
    const placement = 'round-robin' as Placement
    const options = {} as SpawnOptions<[]>
    const spawn = (): void => {
      expectTypeOf(ctx.spawn(Plain, { placement: { worker: 1 } })).toEqualTypeOf<Promise<ActorRef<Plain>>>()
      expectTypeOf(ctx.spawn(Plain, { placement: 'round-robin' })).toEqualTypeOf<Promise<ActorRef<Plain>>>()
      expectTypeOf(ctx.spawn(Plain, { placement })).toEqualTypeOf<ActorRef<Plain> | Promise<ActorRef<Plain>>>()
      expectTypeOf(ctx.spawn(Plain, options)).toEqualTypeOf<ActorRef<Plain> | Promise<ActorRef<Plain>>>()
      // @ts-expect-error a promise is not a ref: await it first
      void ctx.spawn(Plain, { placement: 'main' }).tell
    }
    void spawn
  })
})
