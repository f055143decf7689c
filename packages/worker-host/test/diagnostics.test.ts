import diagnostics from 'node:diagnostics_channel'
import { afterEach, describe, expect, it } from 'vitest'
import { TROUPE_CHANNELS, type DeadLetter, type MessageHandlingContext, type RestartContext, type SpawnContext } from '../src/index.js'
import { Meter } from './fixtures/observed.js'
import { fixture, startSystem } from './helpers/system.js'

const unsubscribes: (() => void)[] = []
afterEach(() => {
  while (unsubscribes.length > 0) unsubscribes.pop()!()
})

/** Records every event of a TracingChannel as [event, what the context says]. */
function record<C extends object>(name: string, describe: (context: C) => unknown): unknown[][] {
  const events: unknown[][] = []
  const channel = diagnostics.tracingChannel<unknown, C>(name)
  const handlers = {
    start: (context: C) => events.push(['start', describe(context)]),
    end: (context: C) => events.push(['end', describe(context)]),
    asyncStart: (context: C) => events.push(['asyncStart', describe(context)]),
    asyncEnd: (context: C) => events.push(['asyncEnd', describe(context)]),
    error: (context: C) => events.push(['error', describe(context), String((context as { error?: unknown }).error)]),
  }
  channel.subscribe(handlers)
  unsubscribes.push(() => channel.unsubscribe(handlers))
  return events
}

describe('diagnostics_channel', () => {
  it('troupe:message traces each handler: sync, async, and failing', async () => {
    const system = await startSystem({ actors: [fixture('observed.ts')] })
    const meter = await system.spawn(Meter, { placement: 'main' })
    const events = record<MessageHandlingContext>(TROUPE_CHANNELS.message, (c) => `${c.actorType}.${c.selector}@${c.thread}#${c.actor === meter.id}`)
    meter.tell.tick()
    expect(await meter.ask.hold(5)).toBe(1)
    await expect(meter.ask.boom('seen')).rejects.toThrow('seen')
    expect(events).toEqual([
      ['start', 'Meter.tick@0#true'],
      ['end', 'Meter.tick@0#true'],
      ['start', 'Meter.hold@0#true'],
      ['end', 'Meter.hold@0#true'],
      ['asyncStart', 'Meter.hold@0#true'],
      ['asyncEnd', 'Meter.hold@0#true'],
      ['start', 'Meter.boom@0#true'],
      ['error', 'Meter.boom@0#true', 'Error: seen'],
      ['end', 'Meter.boom@0#true'],
    ])
  })

  it('troupe:spawn traces system.spawn; troupe:restart a supervisor restart; troupe:dead-letter each dead letter', async () => {
    const system = await startSystem({ actors: [fixture('observed.ts')] })
    const spawns = record<SpawnContext>(TROUPE_CHANNELS.spawn, (c) => [c.actorType, c.parent, c.thread, c.result !== undefined])
    const restarts = record<RestartContext>(TROUPE_CHANNELS.restart, (c) => [c.actorType, c.cause.message])
    const letters: DeadLetter[] = []
    const onLetter = (letter: unknown): void => void letters.push(letter as DeadLetter)
    diagnostics.subscribe(TROUPE_CHANNELS.deadLetter, onLetter)
    unsubscribes.push(() => diagnostics.unsubscribe(TROUPE_CHANNELS.deadLetter, onLetter))

    const meter = await system.spawn(Meter, { placement: 'main' })
    expect(spawns).toEqual([
      ['start', ['Meter', 0, 0, false]],
      ['end', ['Meter', 0, 0, false]],
      ['asyncStart', ['Meter', 0, 0, true]],
      ['asyncEnd', ['Meter', 0, 0, true]],
    ])
    meter.tell.tick()
    meter.tell.boom('restart me')
    await expect.poll(() => restarts.length).toBe(4)
    expect(restarts.map(([event]) => event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd'])
    expect(restarts[0]![1]).toEqual(['Meter', 'restart me'])
    expect(await meter.ask.ticks()).toBe(0)

    await system.stop(meter)
    meter.tell.tick()
    await expect.poll(() => letters.length).toBe(1)
    expect(letters[0]).toMatchObject({ recipient: meter.id, method: 'tick' })
  })
})
