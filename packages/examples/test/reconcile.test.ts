import { describe, expect, it } from 'vitest'
import { reconcile, type Observations } from '../src/demo/reconcile.js'
import { sumOfSequence } from '../src/demo/stream-totals.js'

const count = 10_000
const sum = sumOfSequence(count)

function observations(change: (base: Observations) => Observations = (base) => base): Observations {
  return change({
    streams: [
      {
        producer: { count, sum, thread: 1 },
        consumer: { count, sum, outOfOrder: 0, thread: 2 },
        producerThread: 1,
        consumerThread: 2,
      },
    ],
    ledger: { count, sum },
    run: {
      seconds: 1,
      processed: count + 15,
      threads: [
        { thread: 0, kind: 'main', processed: 5, meanUtilization: 0.05 },
        { thread: 1, kind: 'worker', processed: 10, meanUtilization: 0.9 },
        { thread: 2, kind: 'worker', processed: count, meanUtilization: 0.9 },
      ],
    },
    deadLetters: 0,
    actorFailures: 0,
  })
}

const failed = (observed: Observations): string[] => reconcile(observed).filter((check) => !check.passed).map((check) => check.id)

describe('reconcile', () => {
  it('passes a complete, in-order run', () => {
    expect(failed(observations())).toEqual([])
  })

  it('catches a lost value, a reordering, a ledger gap and a dead letter', () => {
    const stream = observations().streams[0]!
    expect(failed(observations((o) => ({ ...o, streams: [{ ...stream, consumer: { ...stream.consumer, count: count - 1, sum: sum - 7 } }] })))).toContain('streams')
    expect(failed(observations((o) => ({ ...o, streams: [{ ...stream, consumer: { ...stream.consumer, outOfOrder: 2 } }] })))).toEqual(['streams'])
    expect(failed(observations((o) => ({ ...o, ledger: { count, sum: sum - 1 } })))).toEqual(['ledger'])
    expect(failed(observations((o) => ({ ...o, deadLetters: 1 })))).toEqual(['dead-letters'])
  })

  it('catches a stream that stayed on one thread and an idle worker', () => {
    const stream = observations().streams[0]!
    expect(failed(observations((o) => ({ ...o, streams: [{ ...stream, consumer: { ...stream.consumer, thread: 1 }, consumerThread: 1 }] })))).toEqual(['placement'])
    const idle = observations((o) => ({
      ...o,
      run: { ...o.run, threads: o.run.threads.map((t) => (t.thread === 1 ? { ...t, processed: 0, meanUtilization: 0 } : t)) },
    }))
    expect(failed(idle)).toEqual(['every-worker-processed', 'every-worker-busy'])
  })
})
