// offload.tasks and offload.actor-cpu: the task of baseline.piscina.tasks, through troupe.
import { availableParallelism } from 'node:os'
import { taskType, type ActorRef } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { checkSumTask, type sumTask } from '../baselines/piscina-task.js'
import { pipelinedRate } from '../baselines/pipeline.js'
import { Summer } from './offload-actors.js'
import { withSystem } from './system.js'

const inFlight = 1000
const taskModule = new URL('../baselines/piscina-task.js', import.meta.url)
const summing = taskType<typeof sumTask>(taskModule, 'sumTask')
const tasksPerRun = (quick: boolean): number => (quick ? 20_000 : 50_000)

/**
 * `system.offload` with the pool sized like the baseline's (one thread per core) and the same
 * 1000 tasks in flight, so P8 compares troupe's offload path with bare piscina and nothing else.
 * The budget also holds the one (idle) actor worker.
 */
export const offloadTasks: BenchmarkDefinition = {
  id: 'offload.tasks',
  unit: 'tasks/s',
  run: (quick) => {
    const poolThreads = availableParallelism()
    return withSystem(
      1,
      'offload.tasks',
      async (system) => {
        const pass = (tasks: number): Promise<number> => pipelinedRate(tasks, inFlight, async (i) => checkSumTask(i, await system.offload(summing, i)))
        const tasks = tasksPerRun(quick)
        await pass(tasks / 4) // starts the pool's threads and lets them optimise the task
        return pass(tasks)
      },
      { options: { threads: poolThreads + 1, offload: { tasks: [taskModule], maxThreads: poolThreads, maxQueue: 10 * inFlight } } },
    )
  },
}

/**
 * The same CPU work done by stateful actors instead: one Summer per worker, asked round-robin with
 * 1000 in flight. Shows what a pool buys over doing the work in actors.
 */
export const offloadActorCpu: BenchmarkDefinition = {
  id: 'offload.actor-cpu',
  unit: 'tasks/s',
  run: (quick) => {
    const workers = availableParallelism()
    return withSystem(
      workers,
      'offload.actor-cpu',
      async (system) => {
        const summers: ActorRef<Summer>[] = await Promise.all(Array.from({ length: workers }, (_, worker) => system.spawn(Summer, { placement: { worker } })))
        const pass = (tasks: number): Promise<number> => pipelinedRate(tasks, inFlight, async (i) => checkSumTask(i, await summers[i % workers]!.ask.sum(i)))
        const tasks = tasksPerRun(quick)
        await pass(tasks / 4)
        return pass(tasks)
      },
      { actors: [new URL('./offload-actors.js', import.meta.url)] },
    )
  },
}
