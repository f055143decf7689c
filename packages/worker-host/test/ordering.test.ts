import { describe, expect, it } from 'vitest'
import { Cold, Hot, Producer, Recorder } from './fixtures/actors.js'
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
  it('a hot actor with a deep mailbox does not starve a neighbour on its worker', async () => {
    const system = await startSystem({ workers: 1, throughput: 16 })
    const hot = await system.spawn(Hot, { placement: { worker: 0 } })
    const cold = await system.spawn(Cold, { placement: { colocateWith: hot } })
    const backlog = 50_000
    for (let i = 0; i < backlog; i++) hot.tell.work()
    // Sent after the whole backlog, from the same sender, in the same batch.
    const hotDoneWhenColdRan = await cold.ask.probe()
    expect(hotDoneWhenColdRan).toBeLessThan(backlog)
    expect(await hot.ask.processed()).toBe(backlog)
  })
})
