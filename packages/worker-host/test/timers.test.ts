import { describe, expect, it } from 'vitest'
import type { SystemEvent } from '../src/index.js'
import { Scheduler } from './fixtures/actors.js'
import { startSystem } from './helpers/system.js'

describe('ctx.schedule', () => {
  it('runs callbacks as messages of the actor, in the order they come due', async () => {
    const system = await startSystem()
    const actor = await system.spawn(Scheduler, { placement: { worker: 0 } })
    actor.tell.later('slow', 40)
    actor.tell.later('fast', 5)
    await expect.poll(() => actor.ask.fired()).toEqual(['fast', 'slow'])
  })

  it('cancel() stops a pending callback', async () => {
    const system = await startSystem()
    const actor = await system.spawn(Scheduler, { placement: { worker: 1 } })
    expect(await actor.ask.cancelled('never', 10)).toBe(true)
    actor.tell.later('after', 40) // comes due after the cancelled one would have
    await expect.poll(() => actor.ask.fired()).toEqual(['after'])
  })

  it('a restart cancels the timers of the failed instance', async () => {
    const system = await startSystem()
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const actor = await system.spawn(Scheduler, { placement: { worker: 0 } })
    actor.tell.laterThenFail('old', 30) // a tell: an ask's error would only reject the ask
    await expect.poll(() => events.some((event) => event.type === 'actor-restarted')).toBe(true)
    actor.tell.later('new', 80)
    await expect.poll(() => actor.ask.fired()).toEqual(['new'])
  })

  it('validates the delay', async () => {
    const system = await startSystem()
    const actor = await system.spawn(Scheduler)
    await expect(actor.ask.badDelay()).rejects.toThrow(/option "delayMs"/)
  })
})
