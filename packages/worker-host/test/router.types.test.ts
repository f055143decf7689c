import { describe, expectTypeOf, it } from 'vitest'
import type { ActorRef, ActorSystem, GroupRouter, PoolRouter } from '../src/index.js'
import type { ReceiveRoutee, Routee, Sink } from './fixtures/routing.js'

declare const system: ActorSystem
declare const sink: ActorRef<Sink>
declare const routees: ActorRef<Routee>[]
declare const RouteeClass: typeof Routee
declare const ReceiveRouteeClass: typeof ReceiveRoutee

describe('router types', () => {
  it('a pool router is a ref of its routee class, with resize', async () => {
    const pool = await system.router(RouteeClass, { strategy: 'round-robin', size: 2, routee: { args: [sink] } })
    expectTypeOf(pool).toEqualTypeOf<PoolRouter<Routee>>()
    expectTypeOf(pool).toMatchTypeOf<ActorRef<Routee>>()
    expectTypeOf(pool.ask.job('k', 1)).resolves.toEqualTypeOf<{ routee: number; thread: number }>()
    expectTypeOf(pool.resize).parameter(0).toEqualTypeOf<number>()
    // @ts-expect-error not a message of Routee
    pool.tell.nope()
    // @ts-expect-error wrong argument type
    pool.tell.job('k', 'one')
  })

  it("the routees' constructor arguments are required when the class needs them", () => {
    // @ts-expect-error Routee needs its sink: `routee.args` is required
    void system.router(RouteeClass, { strategy: 'random', size: 2 })
    // @ts-expect-error wrong constructor argument
    void system.router(RouteeClass, { strategy: 'random', size: 2, routee: { args: [42] } })
    // @ts-expect-error routees are anonymous
    void system.router(RouteeClass, { strategy: 'random', size: 2, routee: { args: [sink], name: 'x' } })
  })

  it('a group router takes its type from the refs, with add and remove', async () => {
    const group = await system.router(routees, { strategy: 'consistent-hash', hashKey: { argument: 0 } })
    expectTypeOf(group).toEqualTypeOf<GroupRouter<Routee>>()
    expectTypeOf(group.add).parameter(0).toEqualTypeOf<ActorRef<Routee>>()
    // @ts-expect-error unknown strategy
    void system.router(routees, { strategy: 'fastest' })
  })

  it('receive-style routees take their message type', async () => {
    const pool = await system.router(ReceiveRouteeClass, { strategy: 'broadcast', size: 1, routee: { args: [sink] } })
    pool.tell({ user: { id: 'u' }, seq: 1 })
    // @ts-expect-error not the message type
    pool.tell({ seq: 1 })
  })
})
