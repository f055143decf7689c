// metrics.scrape.ms: how long one `system.metrics()` takes with 10^5 actors on 2 workers.
import type { ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { median } from '../stats.js'
import { SPAWN_ACTORS, evenShares, localSpawners, spawnLocally } from './idle-spawning.js'
import { samplesOf } from './prometheus-text.js'
import { check, withSystem } from './system.js'

const id = 'metrics.scrape.ms'
/**
 * Idle actors alive while scraping, in quick mode too: the goal is stated at this size, and
 * spawning them locally takes about a second.
 */
export const scrapeActors = 100_000
const workers = 2
/**
 * Scrapes per run. The first four or five scrapes of fresh threads cost 2–5× the later ones
 * (the collection path is being optimised; waiting after the spawns does not change it), and a
 * Prometheus server scrapes a long-running system again and again: the untimed ones warm it.
 */
const untimedScrapes = 5
const timedScrapes = 5

/**
 * Throws unless the scrape covered every actor: `troupe_thread_actors` of the workers' threads
 * (1 and 2; main is 0) sums to the idle actors plus their spawners, and each worker reports its
 * share of `IdleActor`s by type. A scrape that skipped a thread cannot pass as a fast one.
 */
function checkCoverage(text: string, spawners: number): void {
  const perThread = new Map(samplesOf(text, 'troupe_thread_actors').map((s) => [s.labels.thread, s.value]))
  const threads = Array.from({ length: workers }, (_, worker) => String(worker + 1))
  const onWorkers = threads.reduce((sum, thread) => sum + (perThread.get(thread) ?? Number.NaN), 0)
  check(`${id}: troupe_thread_actors on threads ${threads.join(', ')}`, onWorkers, scrapeActors + spawners)
  const idle = new Map(samplesOf(text, 'troupe_actors').filter((s) => s.labels.actor_type === 'IdleActor').map((s) => [s.labels.thread, s.value]))
  const shares = evenShares(scrapeActors, workers)
  threads.forEach((thread, i) => check(`${id}: IdleActor on thread ${thread}`, idle.get(thread), shares[i]))
}

/** Scrapes `untimedScrapes + timedScrapes` times, checking each text; returns every duration in ms, in order. */
async function scrape(system: ActorSystem, spawners: number): Promise<number[]> {
  const durations: number[] = []
  for (let i = 0; i < untimedScrapes + timedScrapes; i++) {
    const started = performance.now()
    const text = await system.metrics()
    durations.push(performance.now() - started)
    checkCoverage(text, spawners)
  }
  return durations
}

/**
 * A system with 2 workers and `metrics: true`; one `LocalSpawner` per worker spawns its half of
 * 10^5 `IdleActor`s with `ctx.spawn` (as spawn.rate does, untimed); then the scrapes. The
 * figure is the median of the run's timed scrapes, in ms; the untimed ones go to stderr.
 */
async function run(): Promise<number> {
  const durations = await withSystem(
    workers,
    id,
    async (system) => {
      const spawners = await localSpawners(system)
      await spawnLocally(spawners, scrapeActors)
      return scrape(system, spawners.length)
    },
    { actors: SPAWN_ACTORS, options: { metrics: true }, timeoutMs: 120_000 },
  )
  const shown = (list: number[]): string => list.map((ms) => ms.toFixed(1)).join(', ')
  const timed = durations.slice(untimedScrapes)
  process.stderr.write(`  ${id} measured: ${shown(timed)} ms per scrape of ${scrapeActors} actors on ${workers} workers (untimed first: ${shown(durations.slice(0, untimedScrapes))} ms)\n`)
  return median(timed)
}

export const metricsScrapeMs: BenchmarkDefinition = { id, unit: 'ms', run }
