// cpu.*: one CPU-bound job (count the primes below a limit, in ranges; primes-task.ts) done three
// ways in the same run: by actors on every worker, on the main thread alone, and by bare piscina
// with as many threads. cpu.actors / cpu.single-thread is the speed-up actors buy (P12);
// cpu.actors / baseline.piscina.cpu is what they cost against a plain pool (P13).
import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import type { ActorRef } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { PrimeCounter } from './primes-actors.js'
import { checkPrimeCount, countPrimes, FULL_JOB, FULL_WARMUP, jobRanges, QUICK_JOB, QUICK_WARMUP, type PrimeJob, type PrimeRange } from './primes-task.js'
import { withSystem } from './system.js'

const jobs = (quick: boolean): { warmup: PrimeJob; timed: PrimeJob } => (quick ? { warmup: QUICK_WARMUP, timed: QUICK_JOB } : { warmup: FULL_WARMUP, timed: FULL_JOB })

/** Ranges an actor has in flight: one running, one queued, so it never waits for a round trip. */
const IN_FLIGHT_PER_ACTOR = 2

/** Runs `job` through `count` (which may run anywhere), checks the answer, returns numbers/s. */
async function timedJob(job: PrimeJob, count: (ranges: PrimeRange[]) => Promise<number[]>): Promise<number> {
  const ranges = jobRanges(job)
  const started = performance.now()
  const counts = await count(ranges)
  const seconds = (performance.now() - started) / 1000
  checkPrimeCount(job, counts)
  return job.limit / seconds
}

/**
 * Ranges handed out as actors free up (a shared queue, as piscina's), `IN_FLIGHT_PER_ACTOR` per
 * actor. Every actor's turn holds at most two ranges, so no turn is seconds long.
 */
async function countOnActors(actors: readonly ActorRef<PrimeCounter>[], ranges: readonly PrimeRange[]): Promise<number[]> {
  const counts = new Array<number>(ranges.length)
  let next = 0
  const lane = async (actor: ActorRef<PrimeCounter>): Promise<void> => {
    while (next < ranges.length) {
      const i = next++
      counts[i] = await actor.ask.count(ranges[i]!.lo, ranges[i]!.hi)
    }
  }
  await Promise.all(actors.flatMap((actor) => Array.from({ length: IN_FLIGHT_PER_ACTOR }, () => lane(actor))))
  return counts
}

/** One PrimeCounter per worker, one worker per core; main only hands out ranges. */
export const cpuActors: BenchmarkDefinition = {
  id: 'cpu.actors',
  unit: 'numbers/s',
  run: (quick) => {
    const workers = availableParallelism()
    return withSystem(
      workers,
      'cpu.actors',
      async (system) => {
        const actors = await Promise.all(Array.from({ length: workers }, (_, worker) => system.spawn(PrimeCounter, { placement: { worker } })))
        const { warmup, timed } = jobs(quick)
        await timedJob(warmup, (ranges) => countOnActors(actors, ranges)) // loads and optimises countPrimes in every worker
        return timedJob(timed, (ranges) => countOnActors(actors, ranges))
      },
      { actors: [new URL('./primes-actors.js', import.meta.url)] },
    )
  },
}

/** The same ranges, one after another, on the main thread: no threads, no messages. */
export const cpuSingleThread: BenchmarkDefinition = {
  id: 'cpu.single-thread',
  unit: 'numbers/s',
  run: async (quick) => {
    const { warmup, timed } = jobs(quick)
    const serial = (ranges: PrimeRange[]): Promise<number[]> => Promise.resolve(ranges.map(countPrimes))
    await timedJob(warmup, serial)
    return timedJob(timed, serial)
  },
}

/** The same ranges through bare piscina, one thread per core (as many as cpu.actors has workers), all submitted at once. */
export const cpuPiscina: BenchmarkDefinition = {
  id: 'baseline.piscina.cpu',
  unit: 'numbers/s',
  run: async (quick) => {
    const threads = availableParallelism()
    const pool = new Piscina<PrimeRange, number>({
      filename: new URL('./primes-task.js', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
    })
    try {
      const pooled = (ranges: PrimeRange[]): Promise<number[]> => Promise.all(ranges.map((range) => pool.run(range)))
      const { warmup, timed } = jobs(quick)
      await timedJob(warmup, pooled)
      return await timedJob(timed, pooled)
    } finally {
      await pool.destroy()
    }
  },
}

export const cpuBenchmarks: BenchmarkDefinition[] = [cpuActors, cpuSingleThread, cpuPiscina]
