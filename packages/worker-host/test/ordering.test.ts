import { describe, expect, it } from 'vitest'
import { Cold, FairnessDriver, Hot, Producer, Recorder } from './fixtures/actors.js'
import { startSystem } from './helpers/system.js'

describe('per-sender FIFO', () => {
  it('keeps each sender order under load, with senders on every thread', async () => {
    const system = await startSystem({ workers: 2 })
    const recorder = await system.spawn(Recorder, { placement: { worker: 1 } })
    const producers = await Promise.all([
      system.spawn(Producer, { placement: { worker: 0 } }),
      system.spawn(Producer, { placement: { worker: 0 } }),
      system.spawn(Producer, { placement: { worker: 1 } }), // same thread as the recorder
      system.spawn(Producer, { placement: 'main' }),
    ])
    const perProducer = 20_000
    const threads = await Promise.all(producers.map((producer, i) => producer.ask.run(recorder, i, perProducer)))
    expect(threads).toEqual([1, 1, 2, 0])
    // Tells from main-thread code are a fifth sender.
    for (let seq = 0; seq < perProducer; seq++) recorder.tell.record(99, seq)

    // The five streams arrive over three channels, with no order between channels: wait for all.
    const summary = await recorder.ask.waitFor(5 * perProducer)
    expect(summary).toEqual({ count: 5 * perProducer, violations: 0, producers: 5 })
  })
})

describe('dispatcher fairness', () => {
  it('a hot actor with a deep mailbox yields to a neighbour after `throughput` messages', async () => {
    const throughput = 16
    const system = await startSystem({ workers: 1, throughput })
    const hot = await system.spawn(Hot, { placement: { worker: 0 } })
    const cold = await system.spawn(Cold, { placement: { colocateWith: hot } })
    const driver = await system.spawn(FairnessDriver, { placement: { colocateWith: hot } })
    const backlog = 50_000
    // Both mailboxes fill in one handler: Hot is ahead of Cold in the run-queue, 50 000 deep.
    await driver.ask.drive(hot, cold, backlog)
    await expect.poll(() => hot.ask.processed()).toBe(backlog)
    expect(await cold.ask.seen()).toBe(throughput)
  })
})
