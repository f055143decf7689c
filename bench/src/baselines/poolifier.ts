// baseline.poolifier.tasks: poolifier's FixedThreadPool, the task of baseline.piscina.tasks, 1000 in flight, one thread per core.
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { FixedThreadPool } from 'poolifier'
import type { BenchmarkDefinition } from '../harness.js'
import { checkSumTask } from './piscina-task.js'
import { pipelinedRate } from './pipeline.js'
import { withTimeout } from './piscina.js'

const inFlight = 1000
const destroyWaitMs = 5_000

async function poolifierRun(quick: boolean): Promise<number> {
  const threads = availableParallelism()
  // poolifier's defaults otherwise (no per-worker task queue, least-used worker choice): the pool
  // as its README starts it, so P8b compares with what a user of poolifier gets.
  const pool = new FixedThreadPool<number, number>(threads, fileURLToPath(new URL('./poolifier-worker.js', import.meta.url)))
  try {
    const pass = (tasks: number): Promise<number> => pipelinedRate(tasks, inFlight, async (i) => checkSumTask(i, await pool.execute(i)))
    const tasks = quick ? 20_000 : 50_000
    // Untimed pass: starts every thread, loads the task and lets the threads optimise it.
    await withTimeout(pass(tasks / 4), 'warm-up pass')
    if (pool.info.workerNodes !== threads) throw new Error(`pool has ${pool.info.workerNodes} threads, expected ${threads}`)
    const executedBefore = pool.info.executedTasks
    const rate = await withTimeout(pass(tasks), 'timed pass')
    const executed = pool.info.executedTasks - executedBefore
    if (executed !== tasks) throw new Error(`pool executed ${executed} tasks, expected ${tasks}`)
    return rate
  } finally {
    await destroyed(pool)
  }
}

/**
 * poolifier 5.3.2's destroy() sometimes never settles here (Node 20: about 1 pool in 5, with no
 * thread left behind), and with its workers gone nothing keeps the process alive: the whole run
 * would end silently. So its destroy gets a bounded wait; a pool that really failed to stop
 * would show up as leftover threads in the next benchmarks, not as a hang.
 */
async function destroyed(pool: FixedThreadPool<number, number>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, destroyWaitMs)
  })
  try {
    await Promise.race([pool.destroy(), bound])
  } finally {
    clearTimeout(timer)
  }
}

export const poolifierTasks: BenchmarkDefinition = {
  id: 'baseline.poolifier.tasks',
  unit: 'tasks/s',
  run: poolifierRun,
}
