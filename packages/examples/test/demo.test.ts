import { describe, expect, it } from 'vitest'
import { ChunkBook } from '../src/demo/chunk-book.js'
import { chunkSum } from '../src/demo/chunks.js'
import { runDemo } from '../src/demo/run-demo.js'
import { sumOfSequence } from '../src/demo/stream-totals.js'

const CHUNK_SIZE = 500
const ids = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b)

describe('the ledger book', () => {
  it('counts a chunk once, and a second record of it as a retransmission', () => {
    const book = new ChunkBook(0, CHUNK_SIZE)
    expect(book.record(1, CHUNK_SIZE, chunkSum(1, CHUNK_SIZE))).toBe(true)
    expect(book.missing()).toEqual([0])
    expect(book.record(0, CHUNK_SIZE, chunkSum(0, CHUNK_SIZE))).toBe(true)
    expect(book.record(1, CHUNK_SIZE, chunkSum(1, CHUNK_SIZE))).toBe(false)
    expect(book.summary()).toEqual({
      pipeline: 0,
      chunks: 2,
      frontier: 2,
      count: 2 * CHUNK_SIZE,
      sum: sumOfSequence(2 * CHUNK_SIZE),
      duplicates: 1,
      malformed: 0,
      conflicts: 0,
    })
  })
})

describe('the demo', () => {
  it('kills a worker mid-stream, recovers it, and still holds every chunk exactly once', async () => {
    const lines: string[] = []
    const result = await runDemo({
      seconds: 2,
      workers: 2,
      killThread: 2,
      pipeline: { chunkSize: CHUNK_SIZE, window: 4, ackTimeoutMs: 5_000 },
      log: (line) => lines.push(line),
    })
    const { observed, events, run } = result

    // Exact reconciliation, recomputed here from the closed form: pipeline p holds chunks
    // 0..K-1 where K is how far its producer got, values 0..K*size-1, nothing twice.
    expect(observed.pipelines).toHaveLength(4)
    for (const { producer, ledger } of observed.pipelines) {
      const chunks = producer.frontier
      expect(chunks).toBeGreaterThan(0)
      expect(ledger).toMatchObject({ chunks, frontier: chunks, count: chunks * CHUNK_SIZE, sum: sumOfSequence(chunks * CHUNK_SIZE), malformed: 0, conflicts: 0 })
    }

    // Worker 2 crashed once and recovered, with its five actors: two producers, two consumers, the saboteur.
    const crashed = events.filter(({ event }) => event.type === 'worker-crashed')
    const recovered = events.filter(({ event }) => event.type === 'worker-recovered')
    expect(crashed.map(({ event }) => event)).toEqual([{ type: 'worker-crashed', thread: 2, reason: 'exited with code 1' }])
    expect(recovered.map(({ event }) => event)).toEqual([{ type: 'worker-recovered', thread: 2, actors: 5 }])
    expect(recovered[0]!.at).toBeGreaterThan(crashed[0]!.at)
    expect(observed.kill.victims.map((victim) => [victim.thread, victim.restarted])).toEqual(Array(5).fill([2, true]))
    expect(observed.kill.answeredAt).toBeGreaterThanOrEqual(recovered[0]!.at)

    // The kill's actors restarted once each, and nothing else failed.
    const victims = ids(observed.kill.victims.map((victim) => victim.id))
    expect(ids(observed.restartedActors)).toEqual(victims)
    expect(ids(observed.failedActors)).toEqual(victims)

    // Throughput resumed: the fresh worker 2 processed messages, and every stream through it
    // committed more chunks after its actors answered again.
    const worker2 = run.threads.find((thread) => thread.thread === 2)
    expect(worker2?.replacements).toBe(1)
    expect(worker2?.processedThisLife).toBeGreaterThan(0)
    const through = observed.pipelines.filter((p) => p.producerThread === 2 || p.consumerThread === 2)
    expect(through).toHaveLength(4)
    for (const pipeline of through) expect(pipeline.committedAfterRecovery).toBeGreaterThan(0)

    expect(observed.deadLetters.total - observed.deadLetters.toKilledWorker).toBe(0)
    expect(result.checks.filter((check) => !check.passed)).toEqual([])
    expect(result.ok).toBe(true)
    expect(lines.at(-1)).toMatch(/^PASS/)
  })
})
