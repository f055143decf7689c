import { threadId } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError, OffloadQueueFullError, OffloadTimeoutError, TaskNotAllowedError, TaskNotFoundError, taskType } from '../src/index.js'
import { Cruncher } from './fixtures/cruncher.js'
import { Echo } from './fixtures/actors.js'
import type { fib } from './fixtures/tasks/math.js'
import { errorOf, fixture, startSystem } from './helpers/system.js'
import { TASKS, failTask, fibTask, math, spinTask, sumTask, whereTask } from './helpers/tasks.js'


function startWithPool(offload: { maxThreads?: number; maxQueue?: number } = {}) {
  return startSystem({ workers: 1, threads: 2, actors: [fixture('cruncher.ts'), fixture('actors.ts')], offload: { tasks: [TASKS], maxThreads: 1, ...offload } })
}

describe('system.offload', () => {
  it('runs a typed task on a pool thread and returns its result', async () => {
    const system = await startWithPool()
    const result = await system.offload(fibTask, 20)
    expect(result).toBe(6765)
    const poolThread = await system.offload(whereTask, undefined as never)
    expect(poolThread).not.toBe(threadId)
    expect(await system.offload(sumTask, new Uint8Array([1, 2, 3]))).toBe(6)
  })

  it('transfers buffers listed in transferList instead of copying them', async () => {
    const system = await startWithPool()
    const bytes = new Uint8Array(1024).fill(1)
    expect(await system.offload(sumTask, bytes, { transferList: [bytes.buffer] })).toBe(1024)
    expect(bytes.byteLength).toBe(0) // detached: it moved to the pool thread
  })

  it('a task that throws rejects with its error: class, message and code', async () => {
    const system = await startWithPool()
    const error = await errorOf<RangeError & { code?: string }>(system.offload(failTask, 'no good'))
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toBe('no good')
    expect(error.code).toBe('E_TASK')
  })

  it('an aborted task rejects with AbortError, and a running one is really stopped', async () => {
    const system = await startWithPool()
    const controller = new AbortController()
    const started = performance.now()
    const running = system.offload(spinTask, 20_000, { signal: controller.signal })
    setTimeout(() => controller.abort(), 100)
    expect((await errorOf(running)).name).toBe('AbortError')
    // The only pool thread was terminated mid-loop and replaced: the next task runs at once.
    expect(await system.offload(fibTask, 10)).toBe(55)
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('a task past timeoutMs rejects with OffloadTimeoutError, naming the task and the limit, and is stopped', async () => {
    const system = await startWithPool()
    const error = await errorOf(system.offload(spinTask, 20_000, { timeoutMs: 100 }))
    expect(error).toBeInstanceOf(OffloadTimeoutError)
    expect(error).toMatchObject({ code: 'ERR_OFFLOAD_TIMEOUT', module: spinTask.module, exportName: spinTask.export, timeoutMs: 100 })
    expect(error.message).toBe(`task ${spinTask.export} from ${spinTask.module} timed out after 100 ms`)
    expect(await system.offload(fibTask, 10)).toBe(55)
  })

  it('a full queue rejects at once with OffloadQueueFullError; nothing else is lost', async () => {
    const system = await startWithPool({ maxThreads: 1, maxQueue: 1 })
    const running = system.offload(spinTask, 300)
    await expect.poll(async () => (await system.stats()).offload?.threads).toBe(1)
    const queued = system.offload(spinTask, 1)
    const refused = await errorOf(system.offload(spinTask, 1))
    expect(refused).toBeInstanceOf(OffloadQueueFullError)
    expect(refused).toMatchObject({ code: 'ERR_OFFLOAD_QUEUE_FULL', maxQueue: 1 })
    expect(await Promise.all([running, queued])).toEqual([300, 1])
  })

  it('refuses task modules outside offload.tasks, and systems without a pool', async () => {
    const system = await startWithPool()
    const outside = taskType<typeof fib>(fixture('counter.ts'), 'fib')
    await expect(system.offload(outside, 1)).rejects.toBeInstanceOf(TaskNotAllowedError)
    // An allowed module without that export is a missing task, not a refusal.
    const missing = await errorOf(system.offload(taskType<typeof fib>(math, 'nope'), 1))
    expect(missing).toBeInstanceOf(TaskNotFoundError)
    expect(missing).toMatchObject({ code: 'ERR_TASK_NOT_FOUND', exportName: 'nope' })
    expect(missing).not.toBeInstanceOf(TaskNotAllowedError)
    const plain = await startSystem({ workers: 1 })
    await expect(plain.offload(fibTask, 1)).rejects.toThrow(/no offload pool/)
  })

  it('reports the thread budget and the pool in stats()', async () => {
    const system = await startWithPool()
    await system.offload(fibTask, 5)
    const stats = await system.stats()
    expect(stats.budget).toEqual({ threads: 2, workers: 1, offloadThreads: 1 })
    expect(stats.offload).toMatchObject({ maxThreads: 1, completed: 1 })
  })

  it('validates the budget and pool options', async () => {
    await expect(startSystem({ workers: 2, threads: 2, offload: { tasks: [TASKS], maxThreads: 1 } })).rejects.toThrow(/option "threads" must be at least workers \+ offload\.maxThreads \(2 \+ 1\)/)
    await expect(startSystem({ offload: { tasks: 'x' as never } })).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(startSystem({ offload: { tasks: [TASKS], maxQueue: 0 } })).rejects.toThrow(/offload\.maxQueue/)
  })
})

describe('ctx.offload from an actor', () => {
  it('an awaiting actor takes no other message until the task is done, while its neighbours go on', async () => {
    const system = await startWithPool()
    const cruncher = await system.spawn(Cruncher, { placement: { worker: 0 } })
    const neighbour = await system.spawn(Echo, { placement: { colocateWith: cruncher } })
    const crunched = cruncher.ask.crunch(35) // about 100 ms of CPU in the pool
    cruncher.tell.note('next message')
    const first = await Promise.race([crunched.then(() => 'cruncher'), neighbour.ask.echo('neighbour')])
    expect(first).toBe('neighbour') // the worker was free while the cruncher waited
    expect(await cruncher.ask.log()).toEqual(['crunch 35 start', 'crunch 35 done', 'next message'])
    expect(await crunched).toBe(9227465)
  })

  it('with pipeToSelf, the actor keeps taking messages and handles the result as a message', async () => {
    const system = await startWithPool()
    const cruncher = await system.spawn(Cruncher, { placement: { worker: 0 } })
    cruncher.tell.crunchInBackground(27)
    cruncher.tell.note('handled while the task runs')
    // Waits for the condition, not a fixed time: a pool thread starting under tsx on a loaded
    // machine can take longer than expect.poll's default second.
    await expect.poll(() => cruncher.ask.log(), { timeout: 15_000 }).toEqual(['background 27 start', 'handled while the task runs', 'background 27 = 196418'])
  })

  it('abort and timeout reach the pool from a worker', async () => {
    const system = await startWithPool()
    const cruncher = await system.spawn(Cruncher, { placement: { worker: 0 } })
    expect((await errorOf(cruncher.ask.spinFor(20_000, { abortAfterMs: 100 }))).name).toBe('AbortError')
    // The typed error crosses back to the worker as itself.
    expect(await errorOf(cruncher.ask.spinFor(20_000, { timeoutMs: 100 }))).toBeInstanceOf(OffloadTimeoutError)
    expect(await cruncher.ask.crunch(10)).toBe(55)
  })
})
