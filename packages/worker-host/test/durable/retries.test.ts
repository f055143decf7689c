import { expect, it } from 'vitest'
import type { JobOutcome } from '../../src/index.js'
import { DeadWatch, Flaky, type Flake } from '../fixtures/durable-handlers.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { clusterSystem, eventuallyTrue } from './durable-helpers.js'

describeWithNats('durable handlers: retries and dead letters', () => {
  it('retries with the retryDelayMs sequence, middlewares see every attempt, and past maxAttempts the event is a dead letter', async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a')
    const stream = system.stream<Flake>('flaky')
    const seen: { id: string; attempt: number; at: number; outcome?: JobOutcome['status'] }[] = []
    const handler = await stream.handle(Flaky, 'run', {
      maxAttempts: 4,
      retryDelayMs: [150, 400],
      middlewares: [
        { before: (job) => void seen.push({ id: job.event.id, attempt: job.attempt, at: Date.now() }) },
        { after: (job, outcome) => void (seen.find((s) => s.id === job.event.id && s.attempt === job.attempt)!.outcome = outcome.status) },
      ],
    })
    await stream.publish({ id: 'always', failUntil: Infinity })
    await stream.publish({ id: 'twice', failUntil: 2 })
    await eventuallyTrue(() => handler.stats().dead === 1 && handler.stats().done === 1, 'one event dead, one done')

    const always = seen.filter((s) => s.id === 'always')
    expect(always.map((s) => [s.attempt, s.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'retry'],
      [4, 'dead'],
    ])
    // Lower bounds only: the n-th retry waits the n-th delay, the last one repeating.
    expect(always[1]!.at - always[0]!.at).toBeGreaterThanOrEqual(150)
    expect(always[2]!.at - always[1]!.at).toBeGreaterThanOrEqual(400)
    expect(always[3]!.at - always[2]!.at).toBeGreaterThanOrEqual(400)
    expect(seen.filter((s) => s.id === 'twice').map((s) => [s.attempt, s.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'done'],
    ])

    const dead = await stream.deadLetters.read()
    expect(dead).toHaveLength(1)
    expect(dead[0]!.event).toMatchObject({
      event: { id: 'always' },
      handler: 'Flaky-run',
      attempts: 4,
      node: 'a',
      error: { name: 'RangeError', message: 'attempt 4 of always failed', code: 'E_FLAKY' },
    })
    // The event itself stays in its stream: reading consumes nothing.
    expect((await stream.read()).map((stored) => stored.event.id)).toEqual(['always', 'twice'])
    expect(handler.stats()).toMatchObject({ running: 0, waiting: 0, done: 1, dead: 1, retried: 5 })
  })

  it('a job past jobTimeoutMs fails with JobTimeoutError; a handler of the dead letters receives it', async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a')
    const stream = system.stream<Flake>('hangs')
    const handler = await stream.handle(Flaky, 'hang', { maxAttempts: 1, jobTimeoutMs: 300 })
    const deadSeen: string[] = []
    await stream.deadLetters.handle(DeadWatch, 'seen', {
      name: 'dead-watch',
      middlewares: [{ before: (job) => void deadSeen.push(`${job.event.error.code} ${job.stream}`) }],
    })
    await stream.publish({ id: 'slow', failUntil: 0 })
    await eventuallyTrue(() => handler.stats().dead === 1, 'the hanging job dead-lettered')
    await eventuallyTrue(() => deadSeen.length === 1, 'the dead-letter handler ran')
    expect(deadSeen).toEqual(['ERR_JOB_TIMEOUT hangs.dead'])
  })
})
