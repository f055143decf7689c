import { afterEach, describe, expect, it } from 'vitest'
import type { SystemEvent } from '../src/index.js'
import { TestKit } from '../src/testkit/index.js'
import { Scheduler } from './fixtures/actors.js'
import { FIXTURE_ACTORS } from './helpers/system.js'

// On real threads and manual time: a timer fires when the test moves the clock past it, never
// before, and the tests wait for no real time.
const kits: TestKit[] = []
afterEach(async () => {
  while (kits.length > 0) await kits.pop()!.shutdown()
})

async function start(): Promise<TestKit & { clock: NonNullable<TestKit['clock']> }> {
  const kit = await TestKit.start({ workers: 2, actors: FIXTURE_ACTORS, manualTime: true })
  kits.push(kit)
  return kit as TestKit & { clock: NonNullable<TestKit['clock']> }
}

describe('ctx.schedule', () => {
  it('runs callbacks as messages of the actor, in the order they come due', async () => {
    const kit = await start()
    const actor = await kit.system.spawn(Scheduler, { placement: { worker: 0 } })
    await actor.ask.later('slow', 40)
    await actor.ask.later('fast', 5)
    expect(await actor.ask.fired()).toEqual([])
    await kit.clock.advance(5)
    expect(await actor.ask.fired()).toEqual(['fast'])
    await kit.clock.advance(34)
    expect(await actor.ask.fired()).toEqual(['fast'])
    await kit.clock.advance(1)
    expect(await actor.ask.fired()).toEqual(['fast', 'slow'])
  })

  it('cancel() stops a pending callback', async () => {
    const kit = await start()
    const actor = await kit.system.spawn(Scheduler, { placement: { worker: 1 } })
    expect(await actor.ask.cancelled('never', 10)).toBe(true)
    await actor.ask.later('after', 40) // comes due after the cancelled one would have
    await kit.clock.advance(1000)
    expect(await actor.ask.fired()).toEqual(['after'])
  })

  it('a restart cancels the timers of the failed instance', async () => {
    const kit = await start()
    const events: SystemEvent[] = []
    kit.system.events.subscribe((event) => events.push(event))
    const actor = await kit.system.spawn(Scheduler, { placement: { worker: 0 } })
    actor.tell.laterThenFail('old', 30) // a tell: an ask's error would only reject the ask
    await expect.poll(() => events.some((event) => event.type === 'actor-restarted')).toBe(true)
    await actor.ask.later('new', 80)
    await kit.clock.advance(80)
    expect(await actor.ask.fired()).toEqual(['new'])
  })

  it('validates the delay', async () => {
    const kit = await start()
    const actor = await kit.system.spawn(Scheduler)
    await expect(actor.ask.badDelay()).rejects.toThrow(/option "delayMs"/)
  })
})

describe('timers on real time', () => {
  // The real clock, kept once: manual time must not be the only thing that works.
  it('fire by themselves, in the order they come due', async () => {
    const kit = await TestKit.start({ workers: 1, actors: FIXTURE_ACTORS })
    kits.push(kit)
    const actor = await kit.system.spawn(Scheduler, { placement: { worker: 0 } })
    actor.tell.later('slow', 40)
    actor.tell.later('fast', 5)
    await expect.poll(() => actor.ask.fired()).toEqual(['fast', 'slow'])
  })
})
