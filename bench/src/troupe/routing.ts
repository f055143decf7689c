// routing.uneven.*: uneven CPU jobs through a pool router (round-robin, smallest-mailbox,
// balancing) and through bare piscina, whose shared task queue is the reference for what work
// stealing achieves: an idle thread takes the next job, whoever was "meant" to run it.
import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import type { RoutingStrategy } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { pipelinedRate } from '../baselines/pipeline.js'
import { Spinner } from './routing-actors.js'
import { jobCost } from './routing-task.js'
import { withSystem } from './system.js'

const jobsPerRun = (quick: boolean): number => (quick ? 160 : 400)

function checkJob(id: number, result: unknown): void {
  if (result !== id) throw new Error(`job ${id} returned ${String(result)}`)
}

/**
 * One routee per worker, one worker per core; the router lives on the main thread, which only
 * forwards, so no routee's spinning delays the routing. Every job is in flight at once.
 */
function routed(strategy: RoutingStrategy): BenchmarkDefinition {
  return {
    id: `routing.uneven.${strategy}`,
    unit: 'jobs/s',
    run: (quick) => {
      const lanes = availableParallelism()
      return withSystem(
        lanes,
        `routing.uneven.${strategy}`,
        async (system) => {
          const router = await system.router(Spinner, { strategy, size: lanes, placement: 'main', routee: { placement: 'round-robin' } })
          const pass = (jobs: number): Promise<number> => pipelinedRate(jobs, jobs, async (id) => checkJob(id, await router.ask.job(id, jobCost(id, lanes))))
          await pass(jobsPerRun(quick) / 4)
          return pass(jobsPerRun(quick))
        },
        { actors: [new URL('./routing-actors.js', import.meta.url)] },
      )
    },
  }
}

/** The same jobs on bare piscina with one thread per core, all submitted at once. */
export const routingUnevenPiscina: BenchmarkDefinition = {
  id: 'baseline.piscina.uneven',
  unit: 'jobs/s',
  run: async (quick) => {
    const lanes = availableParallelism()
    const pool = new Piscina<{ id: number; ms: number }, number>({
      filename: new URL('./routing-task.js', import.meta.url).href,
      minThreads: lanes,
      maxThreads: lanes,
    })
    try {
      const pass = (jobs: number): Promise<number> => pipelinedRate(jobs, jobs, async (id) => checkJob(id, await pool.run({ id, ms: jobCost(id, lanes) })))
      await pass(jobsPerRun(quick) / 4)
      return await pass(jobsPerRun(quick))
    } finally {
      await pool.destroy()
    }
  },
}

export const routingBenchmarks: BenchmarkDefinition[] = [routed('round-robin'), routed('smallest-mailbox'), routed('balancing'), routingUnevenPiscina]
