// Batching in the offload pool: tasks that wait for a busy pool go to a thread several per message.
import { Piscina } from 'piscina'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError, OffloadQueueFullError, OffloadTimeoutError, TaskNotAllowedError, TaskNotFoundError, taskType, type ActorSystem } from '../src/index.js'
import { toBatchPayload, type BatchResponse } from '../src/offload/batch-protocol.js'
import type { unclonable } from './fixtures/tasks/unclonable.js'
import type { fib } from './fixtures/tasks/math.js'
import { errorOf, fixture, startSystem } from './helpers/system.js'
import { TASKS, failTask, fibTask, math, spinTask, whereTask } from './helpers/tasks.js'

const unclonableTask = taskType<typeof unclonable>(new URL('./fixtures/tasks/unclonable.ts', import.meta.url), 'unclonable')
const fibOf = (n: number): number => (n < 2 ? n : fibOf(n - 1) + fibOf(n - 2))

/** One pool thread, so that a single running task makes every later one wait (and batch). */
function startWithPool(offload: { maxQueue?: number; maxBatch?: number } = {}): Promise<ActorSystem> {
  return startSystem({ workers: 1, threads: 2, offload: { tasks: [TASKS], maxThreads: 1, ...offload } })
}

/** Starts the pool's thread (and loads the task module) so later timings do not include it. */
async function warm(system: ActorSystem): Promise<void> {
  expect(await system.offload(fibTask, 1)).toBe(1)
}

/** A promise's outcome without awaiting it: whether it has settled yet. */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  return { promise, settled: () => settled }
}

describe('offload batches', () => {
  it('many tasks queued at once all come back, each to its own caller, in batches', async () => {
    const system = await startWithPool()
    const inputs = Array.from({ length: 600 }, (_, i) => i % 20)
    const results = await Promise.all(inputs.map((n) => system.offload(fibTask, n)))
    expect(results).toEqual(inputs.map(fibOf))
    const stats = (await system.stats()).offload
    expect(stats).toMatchObject({ completed: 600, queued: 0 })
    expect(stats?.batches).toBeGreaterThan(0)
    // Far fewer messages than tasks: most tasks rode in a batch.
    expect(stats?.batches).toBeLessThan(300)
  })

  it('a lone task on an idle pool goes alone', async () => {
    const system = await startWithPool()
    await warm(system)
    expect(await system.offload(fibTask, 10)).toBe(55)
    expect((await system.stats()).offload).toMatchObject({ completed: 2, batches: 0 })
  })

  it('maxBatch 1 sends every task alone', async () => {
    const system = await startWithPool({ maxBatch: 1 })
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => system.offload(fibTask, i % 10)))
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => fibOf(i % 10)))
    expect((await system.stats()).offload).toMatchObject({ completed: 50, batches: 0 })
  })

  it('a task aborted while held rejects at once, with its reason or OffloadTimeoutError; the others complete', async () => {
    const system = await startWithPool()
    await warm(system)
    const blocker = track(system.offload(spinTask, 3000)) // holds the only thread
    const controller = new AbortController()
    const before = system.offload(fibTask, 10)
    const aborted = system.offload(fibTask, 11, { signal: controller.signal })
    const timed = system.offload(fibTask, 12, { timeoutMs: 50 })
    const after = system.offload(fibTask, 13)
    controller.abort(new Error('not needed any more'))
    expect((await errorOf(aborted)).message).toBe('not needed any more')
    expect(await errorOf(timed)).toMatchObject({ code: 'ERR_OFFLOAD_TIMEOUT', timeoutMs: 50 })
    // Both rejected while the thread was still busy with the blocker: they did not wait for it.
    expect(blocker.settled()).toBe(false)
    expect(await Promise.all([blocker.promise, before, after])).toEqual([3000, 55, 233])
  })

  it('a task that times out while its batch runs is stopped; the rest of its batch still completes', async () => {
    const system = await startWithPool()
    await warm(system)
    const started = performance.now()
    const blocker = system.offload(spinTask, 100)
    // Held behind the blocker, then sent as one batch: fib, a task that would spin for 20 s, fib, fib.
    const first = system.offload(fibTask, 10)
    const stuck = system.offload(spinTask, 20_000, { timeoutMs: 2000 })
    const rest = [system.offload(fibTask, 11), system.offload(fibTask, 12)]
    const error = await errorOf(stuck)
    expect(error).toBeInstanceOf(OffloadTimeoutError)
    expect(await Promise.all([blocker, first, ...rest])).toEqual([100, 55, 89, 144])
    // The spinning thread was terminated, not waited for, and the pool goes on.
    expect(await system.offload(fibTask, 5)).toBe(5)
    expect(performance.now() - started).toBeLessThan(15_000)
    expect((await system.stats()).offload?.batches).toBeGreaterThan(0)
  })

  it('a task aborted in a batch before it starts rejects at once and is skipped; its thread is not stopped', async () => {
    const system = await startWithPool()
    const threadBefore = await system.offload(whereTask, undefined as never)
    const blocker = system.offload(spinTask, 100)
    const controller = new AbortController()
    const long = system.offload(spinTask, 1500)
    const skipped = system.offload(fibTask, 10, { signal: controller.signal })
    const last = system.offload(fibTask, 11)
    // Nothing held any more: the three went out as one batch when the blocker was done.
    await expect.poll(async () => (await system.stats()).offload?.queued, { timeout: 10_000 }).toBe(0)
    controller.abort()
    const started = performance.now()
    expect((await errorOf(skipped)).name).toBe('AbortError')
    expect(performance.now() - started).toBeLessThan(1000) // did not wait for the spinning task ahead of it
    expect(await Promise.all([blocker, long, last])).toEqual([100, 1500, 89])
    // The same thread ran everything: skipping a task did not cost a thread.
    expect(await system.offload(whereTask, undefined as never)).toBe(threadBefore)
  })

  it("one task's error stays its own: a throw, a missing export, an unclonable result", async () => {
    const system = await startWithPool()
    await warm(system)
    const blocker = system.offload(spinTask, 100)
    const calls = [
      system.offload(fibTask, 10),
      system.offload(failTask, 'no good'),
      system.offload(fibTask, 11),
      system.offload(taskType<typeof fib>(math, 'nope'), 1),
      system.offload(unclonableTask, undefined as never),
      system.offload(fibTask, 12),
    ]
    const outcomes = await Promise.allSettled([blocker, ...calls])
    const values = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : undefined))
    expect(values).toEqual([100, 55, undefined, 89, undefined, undefined, 144])
    const errors = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error) : undefined))
    expect(errors[2]).toBeInstanceOf(RangeError)
    expect(errors[2]).toMatchObject({ message: 'no good', code: 'E_TASK' })
    expect(errors[4]).toBeInstanceOf(TaskNotFoundError)
    // The unclonable result fails its batch's message; each task of it is sent again alone, and
    // only this one fails, as it does when sent alone (piscina rejects with what it could clone).
    expect(outcomes[5]?.status).toBe('rejected')
  })

  it('refuses a task outside the allow-list at once, while the tasks around it batch and complete', async () => {
    const system = await startWithPool()
    await warm(system)
    const blocker = system.offload(spinTask, 100)
    const outside = taskType<typeof fib>(fixture('counter.ts'), 'fib')
    const allowed = Array.from({ length: 20 }, (_, i) => system.offload(fibTask, i))
    const refused = system.offload(outside, 1)
    const more = Array.from({ length: 20 }, (_, i) => system.offload(fibTask, i))
    expect(await errorOf(refused)).toBeInstanceOf(TaskNotAllowedError)
    expect(await Promise.all([blocker, ...allowed, ...more])).toEqual([100, ...Array.from({ length: 40 }, (_, i) => fibOf(i % 20))])
  })

  it('the queue limit counts held tasks', async () => {
    const system = await startWithPool({ maxQueue: 5 })
    await warm(system)
    const blocker = system.offload(spinTask, 3000) // long enough for a stats() round trip on a loaded machine
    const held = Array.from({ length: 5 }, (_, i) => system.offload(fibTask, i))
    const refused = await errorOf(system.offload(fibTask, 1))
    expect(refused).toBeInstanceOf(OffloadQueueFullError)
    expect(refused).toMatchObject({ maxQueue: 5 })
    expect((await system.stats()).offload?.queued).toBe(5)
    expect(await Promise.all([blocker, ...held])).toEqual([3000, 0, 1, 1, 2, 3])
  })

  it('validates offload.maxBatch, naming it', async () => {
    for (const maxBatch of [0, 1.5, 1025, '8']) {
      const error = await errorOf(startSystem({ workers: 1, offload: { tasks: [TASKS], maxBatch: maxBatch as never } }))
      expect(error).toBeInstanceOf(InvalidOptionError)
      expect(error.message).toMatch(/option "offload\.maxBatch" must be an integer from 1 to 1024/)
    }
  })
})

describe('the pool thread runs batches', () => {
  it('checks the allow-list for every task of a batch, and skips tasks cancelled before they start', async () => {
    // The pool thread as the system starts it, given a batch directly: main's own check is not
    // in the way, so this is the pool thread's check alone.
    const pool = new Piscina({
      filename: new URL('../src/offload/task-bootstrap.mjs', import.meta.url).href,
      maxThreads: 1,
      execArgv: ['--conditions=troupe-source'],
      workerData: { troupeOffload: { entry: new URL('../src/offload/task-runner.ts', import.meta.url).href, useTsx: true, tasks: [TASKS.href] } },
    })
    try {
      const state = new Int32Array(new SharedArrayBuffer(4 * 4))
      state[3] = 3 // cancelled by main before the batch ran
      const payload = toBatchPayload(
        [
          { module: math.href, export: 'fib', input: 10 },
          { module: fixture('counter.ts').href, export: 'fib', input: 10 },
          { module: math.href, export: 'fib', input: 11 },
          { module: math.href, export: 'fib', input: 12 },
        ],
        state,
      )
      expect(payload.refs).toHaveLength(2) // each distinct task travels once
      const response = (await pool.run(payload)) as BatchResponse
      expect(response.values).toEqual([55, undefined, 89, undefined])
      expect(response.errors?.[1]).toMatchObject({ code: 'ERR_TASK_NOT_ALLOWED' })
      expect(response.errors?.[3]).toBeUndefined() // skipped, not failed
      expect([...state]).toEqual([2, 2, 2, 3])
    } finally {
      await pool.destroy()
    }
  })
})
