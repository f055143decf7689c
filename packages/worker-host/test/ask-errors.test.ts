import { describe, expect, it } from 'vitest'
import { HandlerTimeoutError, InvalidOptionError, type SystemEvent } from '../src/index.js'
import { Counter } from './fixtures/counter.js'
import { Inventory, Shopper, SoldOutError } from './fixtures/inventory.js'
import { errorOf, fixture, startSystem } from './helpers/system.js'

const ACTORS = [fixture('inventory.ts'), fixture('counter.ts')]

async function setup(options: Parameters<typeof startSystem>[0] = {}) {
  const system = await startSystem({ actors: ACTORS, ...options })
  const events: SystemEvent[] = []
  system.events.subscribe((event) => events.push(event))
  const count = (type: SystemEvent['type']): number => events.filter((event) => event.type === type).length
  return { system, events, count }
}

describe('an error while handling an ask (askErrors: reply, the default)', () => {
  it('rejects that ask and the actor keeps its state: N+99 buyers on every thread, exactly N get stock, never oversold', async () => {
    const { system, count } = await setup()
    const stock = 60
    const inventory = await system.spawn(Inventory, { args: ['ticket', stock], placement: { worker: 0 } })
    // Buyers on both workers (one of them the inventory's own thread) and on main.
    const shoppers = await Promise.all([{ worker: 0 }, { worker: 1 }, { worker: 1 }].map((placement) => system.spawn(Shopper, { placement })))
    const perShopper = 40
    const fromMain = stock + 99 - perShopper * shoppers.length
    const [fromShoppers, direct] = await Promise.all([
      Promise.all(shoppers.map((shopper) => shopper.ask.buyMany(inventory, perShopper))),
      Promise.allSettled(Array.from({ length: fromMain }, () => inventory.ask.buy())),
    ])
    const bought = fromShoppers.reduce((sum, p) => sum + p.bought, 0) + direct.filter((o) => o.status === 'fulfilled').length
    const soldOut = fromShoppers.reduce((sum, p) => sum + p.soldOut, 0) + direct.filter((o) => o.status === 'rejected' && o.reason instanceof SoldOutError).length
    expect(fromShoppers.flatMap((p) => p.other)).toEqual([])
    expect(direct.filter((o) => o.status === 'rejected' && !(o.reason instanceof SoldOutError))).toEqual([])
    expect([bought, soldOut]).toEqual([stock, 99])
    expect(await inventory.ask.stock()).toBe(0)
    // The error crossed the thread as the app's class, with its fields and stack.
    const error = await errorOf<SoldOutError>(inventory.ask.buy())
    expect(error).toBeInstanceOf(SoldOutError)
    expect(error).toMatchObject({ name: 'SoldOutError', item: 'ticket', message: 'ticket is sold out' })
    expect(error.stack).toContain('inventory.ts')
    expect(await inventory.ask.stock()).toBe(0)
    expect([count('actor-failed'), count('actor-restarted')]).toEqual([0, 0])
  })

  it('a rejected promise is treated like a throw: the ask rejects, the state stays', async () => {
    const { system, count } = await setup()
    const inventory = await system.spawn(Inventory, { args: ['mug', 1], placement: { worker: 1 } })
    expect(await inventory.ask.buyLater()).toBe(0)
    await expect(inventory.ask.buyLater()).rejects.toBeInstanceOf(SoldOutError)
    expect(await inventory.ask.stock()).toBe(0)
    expect(count('actor-restarted')).toBe(0)
  })

  it('an error while handling a tell still fails the actor: its supervisor restarts it, the state resets', async () => {
    const { system, count } = await setup()
    const inventory = await system.spawn(Inventory, { args: ['lamp', 2], placement: { worker: 0 } })
    await inventory.ask.buy()
    await inventory.ask.buy()
    inventory.tell.buy() // sold out, and no asker to tell: a failure of the actor
    await expect.poll(() => count('actor-restarted')).toBe(1)
    expect(await inventory.ask.stock()).toBe(2)
    expect(count('actor-failed')).toBe(1)
  })

  it('an accepted send is a tell: its error fails the actor', async () => {
    const { system, count } = await setup()
    const inventory = await system.spawn(Inventory, { args: ['pen', 0], placement: { worker: 1 } })
    await inventory.send.buy() // resolves on acceptance; the handler then throws
    await expect.poll(() => count('actor-restarted')).toBe(1)
  })

  it('a HandlerTimeoutError is still a failure of the actor, even for an ask', async () => {
    const { system, count } = await setup()
    const counter = await system.spawn(Counter, { placement: { worker: 0 }, handlerTimeoutMs: 50 })
    await expect(counter.ask.slowGet(5_000)).rejects.toBeInstanceOf(HandlerTimeoutError)
    await expect.poll(() => count('actor-restarted')).toBe(1)
  })
})

describe("askErrors: 'fail' (Akka)", () => {
  it('rejects the ask and the supervisor restarts the actor, as before: the state resets', async () => {
    const { system, events, count } = await setup()
    const inventory = await system.spawn(Inventory, { args: ['chair', 1], placement: { worker: 1 }, askErrors: 'fail' })
    await inventory.ask.buy()
    await expect(inventory.ask.buy()).rejects.toBeInstanceOf(SoldOutError)
    await expect.poll(() => count('actor-restarted')).toBe(1)
    expect(await inventory.ask.stock()).toBe(1)
    const failed = events.find((event) => event.type === 'actor-failed')
    expect(failed?.type === 'actor-failed' && failed.error).toBeInstanceOf(SoldOutError)
  })

  it('survives a restart and the re-creation of the actor after its worker died', async () => {
    // Four restarts in a few seconds: more than the default intensity allows.
    const { system, count } = await setup({ supervision: { maxRestarts: 10, withinMs: 60_000 } })
    const inventory = await system.spawn(Inventory, { args: ['desk', 0], placement: { worker: 0 }, askErrors: 'fail' })
    await expect(inventory.ask.buy()).rejects.toBeInstanceOf(SoldOutError)
    await expect.poll(() => count('actor-restarted')).toBe(1)
    await expect(inventory.ask.buy()).rejects.toBeInstanceOf(SoldOutError) // the restarted instance fails too
    await expect.poll(() => count('actor-restarted')).toBe(2)
    inventory.tell.exitProcess()
    await expect.poll(() => count('worker-recovered'), { timeout: 10_000 }).toBe(1)
    expect(count('actor-restarted')).toBe(3) // re-created from its blueprint on the fresh worker
    await expect(inventory.ask.buy()).rejects.toBeInstanceOf(SoldOutError)
    await expect.poll(() => count('actor-restarted')).toBe(4)
  })

  it('a default actor re-created after its worker died still answers ask errors without failing', async () => {
    const { system, count } = await setup()
    const inventory = await system.spawn(Inventory, { args: ['bed', 0], placement: { worker: 1 } })
    inventory.tell.exitProcess()
    await expect.poll(() => count('worker-recovered'), { timeout: 10_000 }).toBe(1)
    await expect(inventory.ask.buy()).rejects.toBeInstanceOf(SoldOutError)
    expect(await inventory.ask.stock()).toBe(0)
    expect(count('actor-failed')).toBe(1) // the crash only
  })
})

describe('spawn option validation', () => {
  it('askErrors and reentrancy: bad values fail at spawn, naming the option', async () => {
    const { system } = await setup()
    const askErrors = await errorOf(system.spawn(Inventory, { args: ['x', 1], askErrors: 'ignore' as never }))
    expect(askErrors).toBeInstanceOf(InvalidOptionError)
    expect(askErrors.message).toMatch(/option "askErrors" must be one of reply, fail; received "ignore"/)
    const reentrancy = await errorOf(system.spawn(Inventory, { args: ['x', 1], reentrancy: true as never }))
    expect(reentrancy).toBeInstanceOf(InvalidOptionError)
    expect(reentrancy.message).toMatch(/option "reentrancy" must be one of none, call-chain, interleave/)
    expect((reentrancy as InvalidOptionError).option).toBe('reentrancy')
  })
})
