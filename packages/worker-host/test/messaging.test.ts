import { describe, expect, expectTypeOf, it } from 'vitest'
import { Account, Caller, Echo, Forwarder } from './fixtures/actors.js'
import { Counter } from './fixtures/counter.js'
import { startSystem } from './helpers/system.js'

describe('tell and ask across threads', () => {
  it('delivers tells and answers typed asks from an actor on a worker', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter, { args: [10], placement: { worker: 1 } })
    counter.tell.inc(5)
    counter.tell.inc()
    const value = await counter.ask.get()
    expectTypeOf(value).toEqualTypeOf<number>()
    expect(value).toBe(16)
    expect(await counter.ask.where()).toBe(2)
  })

  it('awaits async handlers and returns their resolved value', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter, { args: [3] })
    const value = await counter.ask.slowGet(5)
    expectTypeOf(value).toEqualTypeOf<number>()
    expect(value).toBe(3)
  })

  it('rejects an ask with the handler error: name, message, code and stack survive the thread hop', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter, { placement: { worker: 0 } })
    const error = await counter.ask.fail('boom').then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    )
    expect(error).toBeInstanceOf(Error)
    expect(error?.message).toBe('boom')
    expect(error?.code).toBe('E_COUNTER')
    expect(error?.stack).toContain('counter.ts')
    // The actor is still usable after a failed message.
    expect(await counter.ask.get()).toBe(0)
  })

  it('supports message-style actors over a discriminated union', async () => {
    // An ask's error only rejects the ask: the balance stays (no restart, whatever the decider says).
    const system = await startSystem()
    const account = await system.spawn(Account)
    account.tell({ type: 'deposit', amount: 50 })
    expect(await account.ask({ type: 'withdraw', amount: 20 })).toBe(30)
    await expect(account.ask({ type: 'withdraw', amount: 100 })).rejects.toThrow(RangeError)
    expect(await account.ask({ type: 'balance' })).toBe(30)
  })
})

describe('refs inside messages', () => {
  it('a ref sent to another worker is usable there, for tell and ask', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter, { placement: { worker: 0 } })
    const forwarder = await system.spawn(Forwarder, { placement: { worker: 1 } })
    expect(await forwarder.ask.forward(counter, 7)).toBe(2)
    expect(await forwarder.ask.readThrough(counter)).toBe(7)
    expect(await counter.ask.get()).toBe(7)
  })

  it('refs nested in objects and arrays survive encoding', async () => {
    const system = await startSystem()
    const counters = await Promise.all([0, 1, 0].map((worker) => system.spawn(Counter, { placement: { worker } })))
    const forwarder = await system.spawn(Forwarder, { placement: { worker: 1 } })
    expect(await forwarder.ask.holder({ refs: counters })).toBe(3)
    // Read through the forwarder: its tells and its asks share a channel, so they stay in order.
    expect(await Promise.all(counters.map((c) => forwarder.ask.readThrough(c)))).toEqual([1, 1, 1])
  })

  it('the receiver sees the sending actor as ctx.sender, across threads', async () => {
    const system = await startSystem()
    const echo = await system.spawn(Echo, { placement: { worker: 0 } })
    const caller = await system.spawn(Caller, { placement: { worker: 1 } })
    expect(await caller.ask.senderSeenBy(echo)).toBe(caller.id)
    expect(await echo.ask.sender()).toBe(0) // from main-thread code: no sender
  })

  it('ctx.sender names the right actor when senders repeat and alternate, on one thread and across threads', async () => {
    const system = await startSystem()
    const echo = await system.spawn(Echo, { placement: { worker: 0 } })
    // Two callers on the other worker, one on echo's own worker, one on main.
    const callers = [
      await system.spawn(Caller, { placement: { worker: 1 } }),
      await system.spawn(Caller, { placement: { worker: 1 } }),
      await system.spawn(Caller, { placement: { worker: 0 } }),
      await system.spawn(Caller, { placement: 'main' }),
    ]
    const order = [0, 0, 1, 0, 2, 2, 3, 1, 1, 3, 0, 2]
    const seen: number[] = []
    for (const i of order) seen.push(await callers[i]!.ask.senderSeenBy(echo))
    expect(seen).toEqual(order.map((i) => callers[i]!.id))
  })
})

describe('main-thread actors', () => {
  it('runs on thread 0 and talks with worker actors both ways', async () => {
    const system = await startSystem()
    const onMain = await system.spawn(Forwarder, { placement: 'main' })
    const onWorker = await system.spawn(Counter, { placement: { worker: 0 } })
    expect(await onMain.ask.forward(onWorker, 4)).toBe(0)
    expect(await onMain.ask.readThrough(onWorker)).toBe(4)

    const mainCounter = await system.spawn(Counter, { placement: 'main' })
    const workerForwarder = await system.spawn(Forwarder, { placement: { worker: 1 } })
    expect(await mainCounter.ask.where()).toBe(0)
    await workerForwarder.ask.forward(mainCounter, 9)
    expect(await workerForwarder.ask.readThrough(mainCounter)).toBe(9)
  })

  it('echoes values of every supported type unchanged across threads', async () => {
    const system = await startSystem()
    const echo = await system.spawn(Echo, { placement: { worker: 0 } })
    const value = {
      n: 1.5,
      big: 2n ** 60n,
      s: 'ünïcødé',
      nested: { list: [1, [2, [3]]], none: null, flag: true },
      when: new Date(1_700_000_000_000),
      map: new Map([['k', 1]]),
      set: new Set([1, 2]),
      bytes: new Uint8Array([1, 2, 3]),
      floats: new Float64Array([0.5]),
    }
    expect(await echo.ask.echo(value)).toEqual(value)
  })
})
