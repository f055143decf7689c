import { join } from 'node:path'
import { expect, it } from 'vitest'
import { taskType } from '../../src/index.js'
import { Ledger } from '../fixtures/durable-handlers.js'
import type { TaskJob } from '../fixtures/tasks/durable-tasks.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { tempStoreDir } from '../helpers/store.js'
import { clusterSystem, eventuallyTrue, linesOf, tempDir, TASKS_DIR } from './durable-helpers.js'

const record = taskType<typeof import('../fixtures/tasks/durable-tasks.js'), 'record'>(new URL('../fixtures/tasks/durable-tasks.js', import.meta.url), 'record')

describeWithNats('durable handlers: where jobs run', () => {
  it("executeIn 'offload' runs each job as a task in the offload pool", async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a', { offload: { tasks: [TASKS_DIR], maxThreads: 1 } })
    const dir = tempDir()
    const stream = system.stream<TaskJob>('offloaded')
    const handler = await stream.handle(record, { executeIn: 'offload', maxJobs: 4 })
    for (let i = 0; i < 6; i++) await stream.publish({ id: `t${i}`, dir })
    await eventuallyTrue(() => handler.stats().done === 6, 'six tasks done')
    const lines = linesOf(join(dir, 'tasks.log')).map((line) => line.split(' '))
    expect(lines.map(([id]) => id).sort()).toEqual(['t0', 't1', 't2', 't3', 't4', 't5'])
    // A pool thread is a thread of this process.
    expect(new Set(lines.map(([, pid]) => pid))).toEqual(new Set([String(process.pid)]))
  })

  it("executeIn 'process' runs jobs in child processes; a child that exits mid-job fails its attempt", async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a', { offload: { tasks: [TASKS_DIR], maxThreads: 1 } })
    const dir = tempDir()
    const stream = system.stream<TaskJob>('processes')
    const handler = await stream.handle(record, { executeIn: 'process', maxJobs: 2, maxAttempts: 2, retryDelayMs: 50 })
    for (let i = 0; i < 4; i++) await stream.publish({ id: `p${i}`, dir, ms: 50 })
    await stream.publish({ id: 'crash', dir, crash: true })
    await eventuallyTrue(() => handler.stats().done === 4 && handler.stats().dead === 1, 'four done, the crashing one dead', 30_000)
    const lines = linesOf(join(dir, 'tasks.log')).map((line) => line.split(' '))
    expect(lines.map(([id]) => id).sort()).toEqual(['p0', 'p1', 'p2', 'p3'])
    const pids = new Set(lines.map(([, pid]) => pid))
    expect(pids.has(String(process.pid))).toBe(false)
    const dead = await stream.deadLetters.read()
    expect(dead.map((stored) => [stored.event.event?.id, stored.event.error.code, stored.event.attempts])).toEqual([['crash', 'ERR_JOB_PROCESS_EXITED', 2]])
  })

  it('a task off the offload.tasks allow-list is refused at handle', async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a')
    const stream = system.stream<TaskJob>('refused')
    await expect(stream.handle(record, { executeIn: 'process' })).rejects.toMatchObject({ code: 'ERR_TASK_NOT_ALLOWED' })
  })

  it('an entity handler asks the entity keyed by the event; its state is stored with each job', async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a', { persistence: { store: 'lmdb', path: tempStoreDir() } })
    const stream = system.stream<{ account: string; cents: number }>('deposits')
    const handler = await stream.handle(Ledger, 'credit', { key: (event) => event.account, maxJobs: 4 })
    const deposits = [
      { account: 'alice', cents: 100 },
      { account: 'bob', cents: 5 },
      { account: 'alice', cents: 20 },
      { account: 'bob', cents: 7 },
      { account: 'alice', cents: 3 },
    ]
    for (const deposit of deposits) await stream.publish(deposit)
    await eventuallyTrue(() => handler.stats().done === 5, 'five deposits credited')
    expect((await system.entity(Ledger, 'alice').ask.get()).total).toBe(123)
    expect((await system.entity(Ledger, 'bob').ask.get()).total).toBe(12)
  })
})
