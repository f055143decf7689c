import { describe, expect, it } from 'vitest'
import { main } from '../src/task-queue/main.js'
import { PriorityQueue } from '../src/task-queue/priority-queue.js'
import { runTaskQueue } from '../src/task-queue/run.js'
import { EXPECTED_FIRST_DISPATCHES, PRIORITY_SCRIPT } from '../src/task-queue/script.js'

describe('task-queue', () => {
  it('its priority queue takes high before normal before low, FIFO within each, and counts whom a task overtakes', () => {
    const queue = new PriorityQueue<string>()
    for (const [priority, item] of [['low', 'l1'], ['normal', 'n1'], ['low', 'l2'], ['high', 'h1'], ['normal', 'n2'], ['high', 'h2']] as const) queue.push(priority, item)
    expect(queue.removeWhere((item) => item === 'l2').map(({ item }) => item)).toEqual(['l2'])
    expect(queue.sizes()).toEqual({ high: 2, normal: 2, low: 1 })
    const h1 = queue.shift()!
    expect(h1.item).toBe('h1')
    expect(queue.overtakenBy(h1)).toBe(2) // l1 and n1 were admitted before it and still wait; n2 came after
    const taken = [h1.item]
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) taken.push(next.item)
    expect(taken).toEqual(['h1', 'h2', 'n1', 'n2', 'l1'])
  })

  it('ends every task exactly once, as scripted: priorities, deadlines, retries, a bounded queue and an idle worker taking the work', async () => {
    const lines: string[] = []
    const result = await runTaskQueue({ log: (line) => lines.push(line), workers: 2, offloadThreads: 1 })

    // Exactly one outcome per task, with the counts of the scripted mix: phase 1 has 13 done,
    // 1 failed (after 3 attempts) and 2 expired; the flood's 160 tasks all end done.
    expect(result.outcomes).toHaveLength(PRIORITY_SCRIPT.length + 160)
    expect(new Set(result.outcomes.map((outcome) => outcome.id)).size).toBe(result.outcomes.length)
    expect(result.totals).toEqual({ settled: 176, done: 173, failed: 1, expired: 2 })
    const phaseOne = Object.fromEntries(result.outcomes.slice(0, PRIORITY_SCRIPT.length).map(({ id, status, attempts }) => [id, `${status}/${attempts}`]))
    expect(phaseOne).toEqual({
      B1: 'done/1', B2: 'done/1', B3: 'done/1', B4: 'done/1',
      L1: 'done/1', L2: 'done/1', L3: 'done/1', E1: 'expired/0',
      N1: 'done/1', N2: 'done/1', F1: 'done/3', P1: 'failed/3',
      E2: 'expired/0', H1: 'done/1', H2: 'done/1', H3: 'done/1',
    })

    // Priorities: submitted last, the high tasks were handed out first, each overtaking the
    // lower-priority tasks that were waiting before it.
    expect(result.firstDispatches.map((dispatch) => dispatch.id)).toEqual(EXPECTED_FIRST_DISPATCHES)
    for (const dispatch of result.firstDispatches.filter((d) => d.priority === 'high')) expect(dispatch.overtook).toBeGreaterThan(0)

    // Backpressure: the flood filled the queue to its capacity, never beyond, and the submitter
    // had to wait for room. Depth was sampled by asking the master, and by every receipt.
    const { backpressure } = result
    expect(backpressure.samples).toBeGreaterThan(0)
    expect(backpressure.sampledMax).toBeLessThanOrEqual(backpressure.capacity)
    expect(backpressure.receiptMax).toBeLessThanOrEqual(backpressure.capacity)
    expect(backpressure.highWater).toBe(backpressure.capacity)
    expect(backpressure.waited).toBeGreaterThan(0)

    // Work stealing: the long task's worker got nothing else while it ran; the others went on.
    expect(result.longTask?.startedOnItsWorker).toBe(0)
    expect(result.longTask?.finishedByOthers).toBeGreaterThan(0)
    expect(result.workers).toHaveLength(4)
    for (const worker of result.workers) expect(worker.done).toBeGreaterThan(0)

    // CPU-heavy attempts went through the offload pool, within the thread budget.
    expect(result.budget).toEqual({ threads: 3, workers: 2, offloadThreads: 1 })
    expect(result.offloaded).toBeGreaterThan(0)

    // The monitor printed its table more than once, with a row per worker.
    expect(result.tables).toBeGreaterThan(1)
    expect(lines.filter((line) => /^\[\s*\d+\.\d+ s\] queue \d+\/12 /.test(line)).length).toBe(result.tables)

    expect(result.deadLetters).toBe(0)
    expect(result.checks.filter((check) => !check.passed)).toEqual([])
    expect(result.ok).toBe(true)
    expect(lines.at(-1)).toMatch(/^PASS/)
  })

  it('main() runs the example and reports success', async () => {
    const lines: string[] = []
    expect(await main((line) => lines.push(line))).toBe(true)
    expect(lines.at(-1)).toMatch(/^PASS/)
  })
})
