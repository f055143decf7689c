// baseline.piscina.tasks: bare piscina, a trivial CPU task per run() call, 1000 in flight, one thread per core.
import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import type { BenchmarkDefinition } from '../harness.js'
import { checkSumTask } from './piscina-task.js'
import { pipelinedRate } from './pipeline.js'

const inFlight = 1000

// Generous, as in worker-group.ts: a hung pool should fail the benchmark, not the whole suite run.
// Also used by baseline.poolifier.tasks.
const timeoutMs = 60_000

export async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function piscinaRun(quick: boolean): Promise<number> {
  const threads = availableParallelism()
  // Piscina's defaults otherwise; minThreads = maxThreads starts every thread up front.
  const pool = new Piscina<number, number>({
    filename: new URL('./piscina-task.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  })
  try {
    const pass = (tasks: number): Promise<number> =>
      pipelinedRate(tasks, inFlight, async (i) => checkSumTask(i, await pool.run(i)))
    const tasks = quick ? 20_000 : 50_000
    // Untimed pass: loads the task module in every thread and lets them optimise it.
    await withTimeout(pass(tasks / 4), 'warm-up pass')
    if (pool.threads.length !== threads) throw new Error(`pool has ${pool.threads.length} threads, expected ${threads}`)
    const completedBefore = pool.completed
    const rate = await withTimeout(pass(tasks), 'timed pass')
    if (pool.completed - completedBefore !== tasks) throw new Error(`pool completed ${pool.completed - completedBefore} tasks, expected ${tasks}`)
    return rate
  } finally {
    await pool.destroy()
  }
}

export const piscinaTasks: BenchmarkDefinition = {
  id: 'baseline.piscina.tasks',
  unit: 'tasks/s',
  run: piscinaRun,
}
