import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { DurableHandler } from '../../src/index.js'
import { Gauge, Ordered } from '../fixtures/durable-handlers.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { clusterSystem, eventuallyTrue, tempDir } from './durable-helpers.js'

describeWithNats('durable handlers: maxJobs and priorities', () => {
  it('never runs more than maxJobs jobs of a handler at once on a node', async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a')
    const stream = system.stream<{ ms: number }>('gauge')
    for (let i = 0; i < 15; i++) await stream.publish({ ms: 60 })
    const handler = await stream.handle(Gauge, 'work', { maxJobs: 3 })
    await eventuallyTrue(() => handler.stats().done === 15, 'all 15 jobs done')
    // Counted inside the actors (one worker thread hosts them all), not by the engine.
    const probe = await system.spawn(Gauge)
    expect(await probe.ask.peak()).toBe(3)
    expect(handler.stats().peakRunning).toBe(3)
  })

  it('with a node budget (nodeMaxJobs), waiting jobs run high before normal before low', async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a')
    const dir = tempDir()
    const gateFile = join(dir, 'open')
    const gate = await system.stream<{ label: string; file: string }>('gate').handle(Ordered, 'gate', { nodeMaxJobs: 1 })
    await system.stream<{ label: string; file: string }>('gate').publish({ label: 'gate', file: gateFile })
    await eventuallyTrue(() => gate.stats().running === 1, 'the gate job holds the only slot')
    const handlers: DurableHandler[] = []
    // Registered and published low first, so that arrival order alone would give the opposite.
    for (const priority of ['low', 'normal', 'high'] as const) {
      const stream = system.stream<{ label: string }>(`p-${priority}`)
      handlers.push(await stream.handle(Ordered, 'run', { priority, nodeMaxJobs: 1 }))
      for (let i = 1; i <= 3; i++) await stream.publish({ label: `${priority}${i}` })
    }
    await eventuallyTrue(() => handlers.every((handler) => handler.stats().waiting === 3), 'all nine jobs wait for the slot')
    writeFileSync(gateFile, '')
    await eventuallyTrue(() => handlers.every((handler) => handler.stats().done === 3), 'all nine jobs done')
    const probe = await system.spawn(Ordered)
    expect(await probe.ask.order()).toEqual(['gate', 'high1', 'high2', 'high3', 'normal1', 'normal2', 'normal3', 'low1', 'low2', 'low3'])
  })
})
