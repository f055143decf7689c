// Driving the spawner actors from the main thread.
import type { ActorRef, ActorSystem } from 'troupe'
import { LocalSpawner } from './spawn-actors.js'

/** The compiled modules a system that spawns through spawner actors must allow. */
export const SPAWN_ACTORS = [new URL('./spawn-actors.js', import.meta.url), new URL('./memory-actors.js', import.meta.url)]

/** One `LocalSpawner` pinned to each worker, spawned from main. */
export async function localSpawners(system: ActorSystem): Promise<ActorRef<LocalSpawner>[]> {
  return Promise.all(Array.from({ length: system.workers }, (_, worker) => system.spawn(LocalSpawner, { placement: { worker } })))
}

/** `count` split as evenly as possible into `parts` (the first ones take the remainder). */
export function evenShares(count: number, parts: number): number[] {
  const base = Math.floor(count / parts)
  return Array.from({ length: parts }, (_, i) => base + (i < count % parts ? 1 : 0))
}

/** Has the spawners spawn `count` idle actors in all, at once, each on its own worker; resolves when all are alive. */
export async function spawnLocally(spawners: readonly ActorRef<LocalSpawner>[], count: number): Promise<void> {
  await Promise.all(evenShares(count, spawners.length).map((share, i) => spawners[i]!.ask.spawnIdle(share)))
}
