import { describe, expect, it } from 'vitest'
import { Returner, Server } from './fixtures/volley.js'
import { fixture, startSystem } from './helpers/system.js'

const ACTORS = [fixture('volley.ts')]
const expected = (count: number): number[] => Array.from({ length: count }, (_, i) => count - i)

// Busy waiting changes when a batch is read (polled off the port by a spinning thread, or handed
// over by the event loop), never what is read or in which order: the same exchange gives the same
// result with it off, at its default, and at its longest.
describe('busyWaitUs', () => {
  it.each([0, 100, 10_000])('one message in flight between two workers, and asks from main: busyWaitUs %i', async (busyWaitUs) => {
    const system = await startSystem({ actors: ACTORS, busyWaitUs })
    const server = await system.spawn(Server, { placement: { worker: 0 } })
    const returner = await system.spawn(Returner, { placement: { worker: 1 } })
    expect(await server.ask.volley(returner, 500)).toEqual(expected(500))
    expect(await returner.ask.balls()).toEqual(expected(500))
    // One ask at a time from main: each reply may be taken by main's own spin.
    for (let i = 0; i < 50; i++) expect(await returner.ask.balls()).toHaveLength(500)
    expect(await server.ask.volley(returner, 10)).toEqual(expected(10))
  })
})
