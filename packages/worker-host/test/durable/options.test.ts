import { describe, expect, it } from 'vitest'
import { ClusterError, InvalidOptionError, taskType } from '../../src/index.js'
import { Flaky, Ledger, type Flake } from '../fixtures/durable-handlers.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { errorOf, startSystem } from '../helpers/system.js'
import { clusterSystem, DURABLE_ACTORS, TASKS_DIR } from './durable-helpers.js'

describe('durable streams without a cluster', () => {
  it('system.stream throws ClusterError on a system started without the cluster option', async () => {
    const system = await startSystem({ workers: 1, actors: [DURABLE_ACTORS] })
    expect(() => system.stream('orders')).toThrow(ClusterError)
    expect(() => system.stream('orders')).toThrow(/cluster option/)
  })
})

describeWithNats('durable handler options', () => {
  it('refuses each bad option with InvalidOptionError naming it, before anything runs', async () => {
    const server = await natsServerForTest()
    const system = await clusterSystem(server, 'a', { offload: { tasks: [TASKS_DIR] } })
    expect(() => system.stream('has space')).toThrow(InvalidOptionError)
    const stream = system.stream<Flake>('options')
    const optionOf = async (promise: Promise<unknown>) => {
      const error = await errorOf<InvalidOptionError>(promise)
      expect(error).toBeInstanceOf(InvalidOptionError)
      return error.option
    }
    const bad = (options: object) => stream.handle(Flaky, 'run', options as never)
    expect(await optionOf(bad({ maxAttempts: 0 }))).toBe('maxAttempts')
    expect(await optionOf(bad({ retryDelayMs: [100, -1] }))).toBe('retryDelayMs[1]')
    expect(await optionOf(bad({ retryDelayMs: [] }))).toBe('retryDelayMs')
    expect(await optionOf(bad({ ackWaitMs: 10 }))).toBe('ackWaitMs')
    expect(await optionOf(bad({ maxJobs: 1.5 }))).toBe('maxJobs')
    expect(await optionOf(bad({ maxAckPending: 0 }))).toBe('maxAckPending')
    expect(await optionOf(bad({ jobTimeoutMs: 0 }))).toBe('jobTimeoutMs')
    expect(await optionOf(bad({ nodeMaxJobs: 0 }))).toBe('nodeMaxJobs')
    expect(await optionOf(bad({ pulse: 'yes' }))).toBe('pulse')
    expect(await optionOf(bad({ priority: 'urgent' }))).toBe('priority')
    expect(await optionOf(bad({ middlewares: [{ before: 1 }] }))).toBe('middlewares[0].before')
    expect(await optionOf(bad({ executeIn: 'offload' }))).toBe('executeIn')
    expect(await optionOf(bad({ key: () => 'k' }))).toBe('key')
    expect(await optionOf(bad({ name: 'a.b' }))).toBe('name')
    expect(await optionOf(bad({ maxAttempt: 3 }))).toBe('maxAttempt')
    expect(await optionOf(stream.handle(Flaky, 'nope' as never))).toBe('method')
    expect(await optionOf(stream.handle(Ledger as never, 'credit' as never, {} as never))).toBe('key')
    const task = taskType(new URL('../fixtures/tasks/durable-tasks.js', import.meta.url), 'record')
    expect(await optionOf(stream.handle(task as never, { executeIn: 'thread' } as never))).toBe('executeIn')
    expect(await optionOf(stream.publish({ id: 'x', failUntil: 0 }, { timeoutMs: -1 }))).toBe('timeoutMs')
    expect(await optionOf(stream.read({ limit: 0 }))).toBe('limit')
  })
})
