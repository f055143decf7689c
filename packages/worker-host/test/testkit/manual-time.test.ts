import { afterEach, describe, expect, it } from 'vitest'
import { ActorSystem, AskTimeoutError, HandlerTimeoutError, InvalidOptionError } from '../../src/index.js'
import { ManualClock, TestKit, type TestKitOptions } from '../../src/testkit/index.js'
import { Relay, Silent, Tally, Ticker } from '../fixtures/testkit.js'
import { errorOf } from '../helpers/system.js'

const ACTORS = [new URL('../fixtures/testkit.ts', import.meta.url)]

const kits: TestKit[] = []
afterEach(async () => {
  while (kits.length > 0) await kits.pop()!.shutdown().catch(() => undefined)
})

async function manualKit(options: Partial<TestKitOptions> = {}): Promise<TestKit & { clock: ManualClock }> {
  const kit = await TestKit.start({ workers: 2, actors: ACTORS, manualTime: true, stopTimeoutMs: 1000, ...options })
  kits.push(kit)
  return kit as TestKit & { clock: ManualClock }
}

/** Whether a promise has settled by the time the event loop has turned a few times. */
async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
  return settled
}

describe('manual time on real threads', () => {
  it('runs timers of every thread in time order, only when the clock is advanced', async () => {
    const kit = await manualKit()
    const probe = await kit.createProbe<string>()
    const onMain = await kit.system.spawn(Ticker, { placement: 'main' })
    const onOne = await kit.system.spawn(Ticker, { placement: { worker: 0 } })
    const onTwo = await kit.system.spawn(Ticker, { placement: { worker: 1 } })
    expect([await onMain.ask.where(), await onOne.ask.where(), await onTwo.ask.where()]).toEqual([0, 1, 2])
    await onTwo.ask.start(probe.ref, 'two at 100', 100)
    await onOne.ask.start(probe.ref, 'one at 250', 250)
    await onMain.ask.start(probe.ref, 'main at 200', 200)
    await onOne.ask.start(probe.ref, 'one at 50', 50) // replaces nothing: a second timer on thread 1

    await probe.expectNoMessage(200) // real time passes; manual time does not
    await kit.clock.advance(49)
    await probe.expectNoMessage(50)
    await kit.clock.advance(251)
    expect(kit.clock.now()).toBe(300)
    expect(await probe.receiveMessages(4)).toEqual(['one at 50', 'two at 100', 'main at 200', 'one at 250'])
  })

  it('runs what fired timers start before time moves on, also a chain of timers across workers', async () => {
    const kit = await manualKit()
    const probe = await kit.createProbe<string>()
    const one = await kit.system.spawn(Relay, { placement: { worker: 0 } })
    const two = await kit.system.spawn(Relay, { placement: { worker: 1 } })
    await one.ask.hop(two, probe.ref, 5, 10)
    await kit.clock.advance(100)
    expect(await probe.receiveMessages(5)).toEqual(['hop 5 on 1', 'hop 4 on 2', 'hop 3 on 1', 'hop 2 on 2', 'hop 1 on 1'])
    expect(kit.clock.now()).toBe(100)
  })

  it('repeats ctx.every once per period advanced over, until cancelled', async () => {
    const kit = await manualKit()
    const probe = await kit.createProbe<string>()
    const ticker = await kit.system.spawn(Ticker, { placement: { worker: 1 } })
    await ticker.ask.start(probe.ref, 'tick', 0, 1000)
    await kit.clock.advance(3500)
    expect(await probe.receiveMessages(3)).toEqual(['tick', 'tick', 'tick'])
    expect(await ticker.ask.stop()).toBe(true)
    await kit.clock.advance(10_000)
    await probe.expectNoMessage(100)
  })

  it('ctx.every validates its interval, naming it', async () => {
    const kit = await manualKit()
    const probe = await kit.createProbe<string>()
    const ticker = await kit.system.spawn(Ticker, { placement: { worker: 0 } })
    await expect(ticker.ask.start(probe.ref, 'never', 0, 0)).rejects.toThrow(/option "intervalMs" must be an integer from 1 to 2147483647/)
    await expect(ticker.ask.start(probe.ref, 'never', 0, 1.5)).rejects.toThrow(/option "intervalMs"/)
  })

  it('times asks out on the clock, not on real time', async () => {
    const kit = await manualKit()
    const silent = await kit.system.spawn(Silent, { placement: { worker: 0 } })
    const fromMain = silent.with({ timeoutMs: 5000 }).ask.hang()
    fromMain.catch(() => undefined)
    await kit.clock.advance(4999)
    expect(await settledSoon(fromMain)).toBe(false)
    await kit.clock.advance(1)
    const error = await errorOf(fromMain)
    expect(error).toBeInstanceOf(AskTimeoutError)
    expect((error as AskTimeoutError).timeoutMs).toBe(5000)
  })

  it('times handlers out on the clock (handlerTimeoutMs)', async () => {
    const kit = await manualKit()
    const events: string[] = []
    kit.system.events.subscribe((event) => events.push(event.type))
    const silent = await kit.system.spawn(Silent, { placement: { worker: 1 }, handlerTimeoutMs: 60_000 })
    const pending = silent.with({ timeoutMs: 120_000 }).ask.hang()
    pending.catch(() => undefined)
    expect(await settledSoon(pending)).toBe(false)
    await kit.clock.advance(60_000)
    expect(await errorOf(pending)).toBeInstanceOf(HandlerTimeoutError)
    expect(events).toContain('actor-failed')
  })

  it('waits out supervision backoff on the clock', async () => {
    const kit = await manualKit({ supervision: { backoff: { minMs: 10_000, maxMs: 10_000, jitter: 0 } } })
    const probe = await kit.createProbe<string>()
    const tally = await kit.system.spawn(Tally, { placement: { worker: 0 }, args: [probe.ref] })
    await probe.expectMessage('started')
    tally.tell.fail()
    await probe.expectNoMessage(300) // the restart waits for 10 s of manual time
    await kit.clock.advance(9_999)
    await probe.expectNoMessage(100)
    await kit.clock.advance(1)
    await probe.expectMessage('started')
    expect(await tally.ask.add(1)).toBe(1)
  })
})

describe('the clock option', () => {
  it('refuses what is not a ManualClock, naming the option', async () => {
    const error = await errorOf(ActorSystem.start({ actors: ACTORS, workers: 1, clock: { now: () => 0 } as never }))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect((error as InvalidOptionError).option).toBe('clock')
  })

  it('serves one running system at a time, and is free again once it shuts down', async () => {
    const clock = new ManualClock()
    const first = await ActorSystem.start({ actors: ACTORS, workers: 1, clock })
    try {
      const error = await errorOf(ActorSystem.start({ actors: ACTORS, workers: 1, clock }))
      expect(error).toBeInstanceOf(InvalidOptionError)
    } finally {
      await first.shutdown()
    }
    const second = await ActorSystem.start({ actors: ACTORS, workers: 1, clock })
    await second.shutdown()
  })

  it('refuses to go back or to a non-number', async () => {
    const clock = new ManualClock(1000)
    expect(clock.now()).toBe(1000)
    await expect(clock.advance(-1)).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(clock.advance(Number.NaN)).rejects.toBeInstanceOf(InvalidOptionError)
    expect(() => new ManualClock(-5)).toThrow(InvalidOptionError)
    await clock.advance(0)
    expect(clock.now()).toBe(1000)
  })
})
