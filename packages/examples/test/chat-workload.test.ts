// The worked example of docs/benchmarking.md: the chat workload runs under the harness and checks out.
import { benchWorkload } from 'troupe'
import { describe, expect, it } from 'vitest'
import chatRooms from '../src/chat/chat-workload.js'

describe('chat workload for troupe bench', () => {
  it('runs one round on 1 and 2 workers, every pass checked, and gives a scaling row per count', async () => {
    const report = await benchWorkload(chatRooms, { workerCounts: [1, 2], pairs: 1, warmupRounds: 0 })
    expect(report.workload).toBe('chat rooms')
    expect(report.unit).toBe('msg/s')
    expect(report.rows.map((row) => row.workers)).toEqual([1, 2])
    expect(report.rows[1]?.efficiency?.samples).toBe(1)
    for (const figures of Object.values(report.samples)) expect(figures[0]).toBeGreaterThan(0)
  }, 60_000)
})
