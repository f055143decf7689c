import { describe, expectTypeOf, it } from 'vitest'
import {
  Actor,
  taskType,
  type ActorAddress,
  type ActorRef,
  type ActorSystem,
  type GroupRouter,
  type PoolRouter,
  type TaskName,
  type TaskRef,
  type UntypedActorRef,
} from '../src/index.js'
import type * as math from './fixtures/tasks/math.js'

const url = new URL('./fixtures/tasks/math.js', import.meta.url)

class Client extends Actor {
  result(n: number): void {
    void n
  }
}

class Server extends Actor {
  compute(n: number): number {
    // The sender's type is not known here: message-style calls only...
    this.ctx.sender?.tell({ type: 'result', n })
    // ...and for method calls, its type is stated.
    const client = this.ctx.sender as ActorRef<Client> | undefined
    client?.tell.result(n)
    // @ts-expect-error: the untyped sender has no known methods
    this.ctx.sender?.tell.result(n)
    return n
  }
}

describe('ctx.sender', () => {
  it('is an untyped ref: callable with a message, usable where any ref is expected', () => {
    type Sender = Server['ctx']['sender']
    expectTypeOf<Sender>().toEqualTypeOf<UntypedActorRef | undefined>()
    expectTypeOf<UntypedActorRef['ask']>().returns.toEqualTypeOf<Promise<unknown>>()
    expectTypeOf<UntypedActorRef>().toMatchTypeOf<ActorRef>()
    expectTypeOf<ActorRef<Client>>().toMatchTypeOf<ActorRef>()
  })
})

describe('taskType', () => {
  it('checks the export name against the module type, and types the ref by that export', () => {
    const fib = taskType<typeof math, 'fib'>(url, 'fib')
    expectTypeOf(fib).toEqualTypeOf<TaskRef<typeof math.fib>>()
    expectTypeOf<TaskName<typeof math>>().toEqualTypeOf<'fib' | 'spin' | 'fail' | 'where' | 'sumBytes'>()
    // @ts-expect-error: a misspelled export is a compile error, not a run-time TaskNotAllowedError
    taskType<typeof math, 'fibb'>(url, 'fibb')
    // @ts-expect-error: with the module type alone the name is checked too
    taskType<typeof math>(url, 'fibb')
  })

  it('still takes a function type (the name is then checked at run time: TaskNotFoundError)', () => {
    expectTypeOf(taskType<typeof math.fib>(url, 'fib')).toEqualTypeOf<TaskRef<typeof math.fib>>()
  })

  it('types offload by the task', async () => {
    const system = {} as ActorSystem
    const fib = taskType<typeof math, 'fib'>(url, 'fib')
    expectTypeOf(system.offload(fib, 10)).toEqualTypeOf<Promise<number>>()
    // @ts-expect-error: fib takes a number
    void system.offload(fib, '10')
  })
})

describe('router refs', () => {
  it('are typed PoolRouter<Routee> and GroupRouter<Routee>, not by ReturnType of the overloaded router()', async () => {
    const system = {} as ActorSystem
    // The documented way to type a field that holds a router:
    let pool: PoolRouter<Client> | undefined
    pool = await system.router(Client, { strategy: 'round-robin', size: 2 })
    expectTypeOf(pool).toEqualTypeOf<PoolRouter<Client>>()
    const group: GroupRouter<Client> = await system.router([] as ActorRef<Client>[], { strategy: 'broadcast' })
    expectTypeOf(group.add).parameter(0).toEqualTypeOf<ActorRef<Client>>()
    // ReturnType takes the last overload (the group form), which is why it is the wrong tool.
    expectTypeOf<Awaited<ReturnType<ActorSystem['router']>>>().toEqualTypeOf<GroupRouter<unknown>>()
  })
})

describe('addresses', () => {
  it('a ref exposes its address: node, thread and id, read-only numbers', () => {
    expectTypeOf<ActorRef<Client>['address']>().toEqualTypeOf<ActorAddress>()
    expectTypeOf<UntypedActorRef['address']>().toEqualTypeOf<ActorAddress>()
    expectTypeOf<ActorAddress>().toEqualTypeOf<{ readonly node: number; readonly thread: number; readonly id: number }>()
    const address = {} as ActorAddress
    // @ts-expect-error: an address cannot be changed
    address.node = 1
  })
})
