import { join } from 'node:path'
import { expect, it } from 'vitest'
import { Idempotent, type KillJob } from '../fixtures/durable-handlers.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { clusterSystem, eventuallyTrue, linesOf, runProgram, tempDir } from './durable-helpers.js'

const ACK_WAIT_MS = 1500

describeWithNats('durable handlers: a node killed mid-job', () => {
  it('the jobs it held are redelivered to another node after ackWaitMs and take effect exactly once', async () => {
    const server = await natsServerForTest()
    const dir = tempDir()
    const nodeA = runProgram('durable-node.ts', [server.url, 'a', String(ACK_WAIT_MS)])
    await nodeA.waitFor((line) => line['type'] === 'ready', 'node a ready')
    const b = await clusterSystem(server, 'b')
    const stream = b.stream<KillJob>('kill-test')
    const jobs: KillJob[] = [
      { id: 'quick', dir, hang: 'no' },
      { id: 'hangs-before-effect', dir, hang: 'before' },
      { id: 'hangs-after-effect', dir, hang: 'after' },
    ]
    for (const job of jobs) await stream.publish(job)
    // Node a holds both hanging jobs: one has applied its effect, the other not yet.
    await nodeA.waitFor((line) => line['type'] === 'started' && line['id'] === 'hangs-before-effect', 'node a started hangs-before-effect')
    await eventuallyTrue(() => linesOf(join(dir, 'effects.log')).includes('hangs-after-effect'), 'node a applied hangs-after-effect')
    await nodeA.kill()

    const handler = await stream.handle(Idempotent, 'apply', { name: 'apply', maxJobs: 4, ackWaitMs: ACK_WAIT_MS })
    await eventuallyTrue(() => handler.stats().done >= 2, 'node b completed the two redelivered jobs', 20_000)

    // Exactly once in effect: each event's effect is there once, whichever node applied it.
    const effects = linesOf(join(dir, 'effects.log'))
    expect([...effects].sort()).toEqual(['hangs-after-effect', 'hangs-before-effect', 'quick'])
    // Both hanging jobs were attempted again, on this process (node b), as attempt 2 or later.
    const attempts = linesOf(join(dir, 'attempts.log')).map((line) => line.split(' '))
    for (const id of ['hangs-before-effect', 'hangs-after-effect']) {
      const here = attempts.filter(([jobId, , pid]) => jobId === id && pid === String(process.pid))
      expect(here.length).toBeGreaterThanOrEqual(1)
      expect(Math.min(...here.map(([, attempt]) => Number(attempt)))).toBeGreaterThanOrEqual(2)
      expect(attempts.some(([jobId, attempt, pid]) => jobId === id && attempt === '1' && pid === String(nodeA.child.pid))).toBe(true)
    }
  })
})
