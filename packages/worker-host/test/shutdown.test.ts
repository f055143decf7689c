import { describe, expect, it } from 'vitest'
import { ActorSystem, SystemShutdownError } from '../src/index.js'
import { Relay, Sink, sinkTotalsAtStop } from './fixtures/actors.js'
import { Counter } from './fixtures/counter.js'
import { FIXTURE_ACTORS, osThreadCount, startSystem } from './helpers/system.js'

describe('shutdown', () => {
  it('drains pending messages through a pipeline, then leaves no worker thread running', async () => {
    // Warm up once so lazily created process threads (libuv pool, V8 platform) already exist.
    await (await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS })).shutdown()
    const threadsBefore = osThreadCount()

    const system = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS })
    const threadsRunning = osThreadCount()
    expect(threadsRunning).toBeGreaterThanOrEqual(threadsBefore + 2)
    // Spawned first, stopped last: the sink outlives the relays that feed it.
    const sink = await system.spawn(Sink, { placement: 'main' })
    const relays = await Promise.all([0, 1].map((worker) => system.spawn(Relay, { args: [sink], placement: { worker } })))
    const perRelay = 5_000
    let expectedSum = 0
    for (let n = 1; n <= perRelay; n++) {
      for (const relay of relays) relay.tell.push(n)
      expectedSum += 2 * n
    }
    sinkTotalsAtStop.length = 0
    await system.shutdown() // nothing awaited the tells: shutdown itself must drain them

    expect(sinkTotalsAtStop).toEqual([{ sum: expectedSum, count: 2 * perRelay }])
    expect(system.deadLetters.count).toBe(0)
    // Both worker threads are gone. The bound is the lower of the two counts: a process thread
    // counted before (the warm-up's worker still being joined by the OS, an idle libuv thread)
    // may have ended since, which must not read as a thread left behind.
    expect(osThreadCount()).toBeLessThanOrEqual(Math.min(threadsBefore, threadsRunning - 2))
  })

  it('after shutdown, asks reject with SystemShutdownError, spawns are refused, shutdown is idempotent', async () => {
    const system = await startSystem()
    const counter = await system.spawn(Counter)
    await system.shutdown()
    await expect(counter.ask.get()).rejects.toBeInstanceOf(SystemShutdownError)
    await expect(system.spawn(Counter)).rejects.toBeInstanceOf(SystemShutdownError)
    await expect(system.shutdown()).resolves.toBeUndefined()
  })

  it('works with await using', async () => {
    let counterValue = 0
    {
      await using system = await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS })
      const counter = await system.spawn(Counter, { args: [41] })
      counter.tell.inc()
      counterValue = await counter.ask.get()
    }
    expect(counterValue).toBe(42)
  })
})
