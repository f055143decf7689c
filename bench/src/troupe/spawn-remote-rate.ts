// spawn.remote.rate: actors spawned per second from inside an actor onto another worker.
import type { ActorRef, ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../harness.js'
import { SPAWN_ACTORS } from './idle-spawning.js'
import { RemoteSpawner } from './spawn-actors.js'
import { check, recordedActors, withSystem } from './system.js'

const id = 'spawn.remote.rate'
/** Spawns in the timed pass: about a second at the 100 k/s target. */
export const remoteSpawnCounts = { full: 100_000, quick: 10_000 }
/** Spawns in flight from the spawner: enough to keep the main thread and the target busy. */
const window = 1000
/** The spawner lives on worker 0 and spawns on worker 1 (thread 2: thread 0 is main). */
const source = 0
const target = 1

async function actorsOn(system: ActorSystem, thread: number): Promise<number> {
  const stats = await system.stats()
  return stats.threads.find((t) => t.thread === thread)?.actors ?? 0
}

/**
 * One pass: the spawner spawns `count` idle actors with placement `{ worker: 1 }`, `window` in
 * flight. Timed on main from the ask until the spawner answers that every spawn has resolved.
 * Checked: the count, that the last actor answers from worker 1, that worker 1 hosts `count`
 * more actors and that the main thread records them (the spawner tells it of each, after the answer).
 */
async function pass(system: ActorSystem, spawner: ActorRef<RemoteSpawner>, count: number): Promise<number> {
  const hosted = await actorsOn(system, target + 1)
  const recorded = await recordedActors(system)
  const started = performance.now()
  const spawned = await spawner.ask.spawnOn(target, count, window)
  const seconds = (performance.now() - started) / 1000
  check(`${id}: spawns resolved`, spawned, count)
  check(`${id}: thread of the last actor`, await spawner.ask.lastThread(), target + 1)
  check(`${id}: actors on worker ${target}`, await actorsOn(system, target + 1), hosted + count)
  check(`${id}: actors the main thread records`, await recordedActors(system), recorded + count)
  if (!(seconds > 0)) throw new Error(`non-positive duration ${seconds}s`)
  return seconds
}

/**
 * The figure: spawns per second in the timed pass, after an untimed pass of a tenth on the same
 * spawner (its actors stay alive; the system's shutdown stops them all).
 */
async function run(quick: boolean): Promise<number> {
  const count = quick ? remoteSpawnCounts.quick : remoteSpawnCounts.full
  const seconds = await withSystem(
    2,
    id,
    async (system) => {
      const spawner = await system.spawn(RemoteSpawner, { placement: { worker: source } })
      await pass(system, spawner, count / 10)
      return pass(system, spawner, count)
    },
    { actors: SPAWN_ACTORS, timeoutMs: 300_000, options: { shutdownTimeoutMs: 300_000 } },
  )
  process.stderr.write(`  ${id} measured: ${count} spawns from worker ${source} onto worker ${target} in ${seconds.toFixed(3)} s, ${((seconds / count) * 1e6).toFixed(2)} us per spawn\n`)
  return count / seconds
}

export const spawnRemoteRate: BenchmarkDefinition = { id, unit: 'spawns/s', run }
