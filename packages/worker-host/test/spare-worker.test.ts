import { describe, expect, it } from 'vitest'
import { ActorSystem, InvalidOptionError, type ActorRef, type SystemEvent } from '../src/index.js'
import { SpareProbe } from './fixtures/spare-probe.js'
import { errorOf, fixture, osThreadCount, startSystem } from './helpers/system.js'

const PROBE = [fixture('spare-probe.ts')]

async function setup(options: Parameters<typeof startSystem>[0] = {}) {
  const system = await startSystem({ actors: PROBE, spareWorker: true, ...options })
  const events: SystemEvent[] = []
  system.events.subscribe((event) => events.push(event))
  return { system, events }
}

const recoveries = (events: SystemEvent[], thread: number) => events.filter((e) => e.type === 'worker-recovered' && e.thread === thread).length

/** Kills the probe's worker and waits until the system has recovered from that death (the `n`-th on its slot). */
async function kill(probe: ActorRef<SpareProbe>, events: SystemEvent[], n: number) {
  const { thread } = await probe.ask.origin()
  probe.tell.exitProcess(1)
  await expect.poll(() => recoveries(events, thread), { timeout: 20_000 }).toBe(n)
  return probe.ask.origin()
}

describe('spare worker', () => {
  it('takes the slot of a dead worker, and a new spare takes the next death', async () => {
    const { system, events: sysEvents } = await setup()
    const probe = await system.spawn(SpareProbe, { placement: { worker: 1 } })
    const first = await probe.ask.origin()
    expect(first).toMatchObject({ thread: 2, fromSpare: false })

    const second = await kill(probe, sysEvents, 1)
    expect(second).toMatchObject({ thread: 2, fromSpare: true })
    expect(second.threadId).not.toBe(first.threadId)

    // Two deaths in a row: the spare started after the first replacement takes the second.
    const third = await kill(probe, sysEvents, 2)
    expect(third).toMatchObject({ thread: 2, fromSpare: true })
    expect(new Set([first.threadId, second.threadId, third.threadId]).size).toBe(3)
    expect(sysEvents.filter((e) => e.type === 'worker-replaced')).toEqual([
      { type: 'worker-replaced', thread: 2 },
      { type: 'worker-replaced', thread: 2 },
    ])
    expect(sysEvents.filter((e) => e.type === 'worker-crashed')).toHaveLength(2)
  })

  it('two workers dying at once: one takes the spare, the other starts afresh, both recover', async () => {
    const { system, events } = await setup()
    const probes = [await system.spawn(SpareProbe, { placement: { worker: 0 } }), await system.spawn(SpareProbe, { placement: { worker: 1 } })]
    for (const probe of probes) probe.tell.exitProcess(1)
    await expect.poll(() => [recoveries(events, 1), recoveries(events, 2)], { timeout: 20_000 }).toEqual([1, 1])
    const origins = await Promise.all(probes.map((probe) => probe.ask.origin()))
    expect(origins.map((o) => o.thread)).toEqual([1, 2])
    expect(origins.filter((o) => o.fromSpare)).toHaveLength(1)
  })

  it('without spareWorker (the default), a dead worker is replaced by a freshly started one', async () => {
    const { system, events } = await setup({ spareWorker: undefined })
    const probe = await system.spawn(SpareProbe, { placement: { worker: 1 } })
    await probe.ask.origin()
    expect(await kill(probe, events, 1)).toMatchObject({ thread: 2, fromSpare: false })
  })

  it('rejects a spareWorker that is not a boolean, naming the option', async () => {
    const error = await errorOf(ActorSystem.start({ workers: 1, actors: PROBE, spareWorker: 'yes' as unknown as boolean }))
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect(error.message).toMatch(/spareWorker/)
  })

  it('shutdown leaves no thread running: the idle spare, and one started after a replacement, are terminated', async () => {
    // Warm up once so lazily created process threads (libuv pool, V8 platform) already exist.
    await (await ActorSystem.start({ workers: 1, actors: PROBE, spareWorker: true })).shutdown()
    const threadsBefore = osThreadCount()

    // Shut down at once, while the spare may still be booting.
    // At most as many as before: a process thread counted then (the warm-up's worker still being
    // joined, an idle libuv thread) may have ended since, which is no thread left behind.
    await (await ActorSystem.start({ workers: 2, actors: PROBE, spareWorker: true })).shutdown()
    expect(osThreadCount()).toBeLessThanOrEqual(threadsBefore)

    // After a replacement took the spare and a new one was started.
    const system = await ActorSystem.start({ workers: 2, actors: PROBE, spareWorker: true })
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const probe = await system.spawn(SpareProbe, { placement: { worker: 1 } })
    expect(await kill(probe, events, 1)).toMatchObject({ fromSpare: true })
    // Workers, the ticker and the new spare: more than the two workers alone.
    expect(osThreadCount()).toBeGreaterThanOrEqual(threadsBefore + 3)
    await system.shutdown()
    expect(osThreadCount()).toBeLessThanOrEqual(threadsBefore)
  })

  it('stats() tells whether the spare is ready: off without the option, ready once loaded, ready again after a replacement took it', async () => {
    const plain = await startSystem({ actors: PROBE })
    expect((await plain.stats()).spareWorker).toBe('off')

    const { system, events } = await setup()
    expect(['none', 'booting', 'ready']).toContain((await system.stats()).spareWorker)
    await expect.poll(async () => (await system.stats()).spareWorker).toBe('ready')
    const probe = await system.spawn(SpareProbe, { placement: { worker: 1 } })
    expect(await kill(probe, events, 1)).toMatchObject({ fromSpare: true })
    // The next spare starts once the replacement answered, and loads again.
    await expect.poll(async () => (await system.stats()).spareWorker).toBe('ready')
    expect(await kill(probe, events, 2)).toMatchObject({ fromSpare: true })
  })
})
