// spawn.rate: actors spawned per second from inside actors, each on its spawner's own thread.
import { availableParallelism } from 'node:os'
import type { ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { SPAWN_ACTORS, localSpawners, spawnLocally } from './idle-spawning.js'
import { check, hostedActors, recordedActors, withSystem } from './system.js'

const id = 'spawn.rate'
/** Actors spawned by the timed pass, over all spawners: the target is 10^6 alive at once. */
export const spawnRateCounts = { full: 1_000_000, quick: 100_000 }
/** One spawner per worker, one worker per core: spawning is spread over every core. */
const workers = Math.max(1, availableParallelism())

/**
 * One pass: a fresh `LocalSpawner` on every worker, then all of them spawn their share of
 * `count` idle actors at once. Timed from the asks until every spawner has answered (each
 * answers once its last child is alive). Checked: the threads host exactly `count` more
 * actors, and the main thread records none of them (they were spawned locally). Afterwards
 * (untimed) the spawners are stopped, and their children with them.
 */
async function pass(system: ActorSystem, count: number): Promise<number> {
  const spawners = await localSpawners(system)
  const hosted = await hostedActors(system)
  const recorded = await recordedActors(system)
  const started = performance.now()
  await spawnLocally(spawners, count)
  const seconds = (performance.now() - started) / 1000
  check(`${id}: actors hosted`, await hostedActors(system), hosted + count)
  check(`${id}: actors the main thread records`, await recordedActors(system), recorded)
  await Promise.all(spawners.map((spawner) => system.stop(spawner)))
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return seconds
}

/** The figure: actors spawned per second in the timed pass, after an untimed pass of a tenth. */
async function run(quick: boolean): Promise<number> {
  const count = quick ? spawnRateCounts.quick : spawnRateCounts.full
  const seconds = await withSystem(
    workers,
    id,
    async (system) => {
      await pass(system, count / 10)
      return pass(system, count)
    },
    { actors: SPAWN_ACTORS, timeoutMs: 300_000 },
  )
  process.stderr.write(`  ${id} measured: ${count} actors on ${workers} worker(s) in ${seconds.toFixed(3)} s, ${((seconds / count) * 1e6).toFixed(2)} us per spawn\n`)
  return count / seconds
}

export const spawnRate: BenchmarkDefinition = { id, unit: 'actors/s', run }
