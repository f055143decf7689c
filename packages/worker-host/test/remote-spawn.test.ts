import { describe, expect, it } from 'vitest'
import { SpawnError, SpawnTimeoutError, type ActorSystem, type SystemEvent } from '../src/index.js'
import { Nursery } from './fixtures/remote-spawn.js'
import { errorOf, fixture, startSystem } from './helpers/system.js'

// A spawn from a worker onto another worker goes straight over the link between them; main is
// told once the child has started, and supervises it from then on (see RemoteSpawner).

const ACTORS = [fixture('remote-spawn.ts')]

async function actorsOn(system: ActorSystem): Promise<number[]> {
  return (await system.stats()).threads.map((thread) => thread.actors)
}

async function recorded(system: ActorSystem): Promise<number> {
  return (await system.stats()).registry.actors
}

describe('spawning on another worker from inside an actor', () => {
  it('creates exactly the children asked for, from actors on every worker, and main records each', async () => {
    const system = await startSystem({ actors: ACTORS })
    const nurseries = [await system.spawn(Nursery, { placement: { worker: 0 } }), await system.spawn(Nursery, { placement: { worker: 1 } })]
    const before = await actorsOn(system)
    const recordedBefore = await recorded(system)
    const counts = await Promise.all([nurseries[0]!.ask.spawnMany(5000, { worker: 1 }, 200), nurseries[1]!.ask.spawnMany(5000, { worker: 0 }, 200)])
    expect(counts).toEqual([5000, 5000])
    expect(await actorsOn(system)).toEqual([before[0], before[1]! + 5000, before[2]! + 5000])
    expect(await recorded(system)).toBe(recordedBefore + 10_000)
    const threads = await Promise.all(nurseries.map((nursery) => nursery.ask.threads()))
    expect(new Set(threads[0])).toEqual(new Set([2]))
    expect(new Set(threads[1])).toEqual(new Set([1]))
    // Stopping a parent stops every child it spawned elsewhere; main forgets them all.
    await Promise.all(nurseries.map((nursery) => system.stop(nursery)))
    expect(await actorsOn(system)).toEqual([before[0], before[1]! - 1, before[2]! - 1])
    expect(await recorded(system)).toBe(recordedBefore - 2)
  })

  it('delivers what the spawner tells the child, in order, from the turn its spawn resolved', async () => {
    const system = await startSystem({ actors: ACTORS })
    const nursery = await system.spawn(Nursery, { placement: { worker: 0 } })
    expect(await nursery.ask.spawnAndTell(1, 300)).toEqual(Array.from({ length: 300 }, (_, i) => i))
  })

  it('gives the child its parent, and places round-robin and hash spawns as main would', async () => {
    const system = await startSystem({ actors: ACTORS, workers: 3 })
    const nursery = await system.spawn(Nursery, { placement: { worker: 0 } })
    const child = await nursery.ask.spawnOne({ hash: 'banner-42' })
    const fromMain = await system.spawn(Nursery, { placement: { hash: 'banner-42' } })
    expect(child.address.thread).toBe(fromMain.address.thread)
    expect(await child.ask.parentId()).toBe(nursery.address.id)
    await nursery.ask.spawnMany(6, 'round-robin', 1)
    const threads = await nursery.ask.threads()
    // Each spawner counts in turn from its own index: worker 0 (thread 1) starts at thread 2.
    expect(threads).toEqual([2, 3, 1, 2, 3, 1])
  })

  it('rejects a child that fails to start with its SpawnError, and records nothing', async () => {
    const system = await startSystem({ actors: ACTORS })
    const nursery = await system.spawn(Nursery, { placement: { worker: 0 } })
    const before = await actorsOn(system)
    const recordedBefore = await recorded(system)
    const error = await errorOf(nursery.ask.spawnOne({ worker: 1 }, 'fail'))
    expect(error).toBeInstanceOf(SpawnError)
    expect(error.message).toMatch(/onStart failed: refused to start/)
    expect(await actorsOn(system)).toEqual(before)
    expect(await recorded(system)).toBe(recordedBefore)
  })

  it('times a slow start out, and stops the child when it starts after all', async () => {
    const system = await startSystem({ actors: ACTORS, spawnTimeoutMs: 300 })
    const nursery = await system.spawn(Nursery, { placement: { worker: 0 } })
    const before = await actorsOn(system)
    const error = await errorOf(nursery.ask.spawnOne({ worker: 1 }, { slowMs: 3000 }))
    expect(error).toBeInstanceOf(SpawnTimeoutError)
    // Still starting when its spawner gave up; then it starts late and is stopped at once:
    // worker 1 hosts what it hosted before, and main never recorded it.
    expect((await actorsOn(system))[2]).toBe(before[2]! + 1)
    await expect.poll(() => actorsOn(system), { timeout: 10_000 }).toEqual(before)
    expect(await recorded(system)).toBe(1)
  })

  it('supervises a child that fails in the turn its spawn resolved (its record may still be on its way)', async () => {
    const system = await startSystem({ actors: ACTORS })
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    for (let i = 0; i < 8; i++) {
      // A parent per round: the default intensity allows 3 restarts in 5 s per supervisor.
      const nursery = await system.spawn(Nursery, { placement: { worker: 0 } })
      const child = i % 2 === 0 ? await nursery.ask.spawnAndCrash(1) : await nursery.ask.spawnOne({ worker: 1 }, 'crash')
      // Restarted by its parent's default strategy: it answers again, with fresh state.
      await expect.poll(() => events.some((event) => event.type === 'actor-restarted' && event.actor === child.address.id), { timeout: 10_000 }).toBe(true)
      child.tell.push(1)
      expect(await child.ask.seen()).toEqual([1])
    }
  })

  it('re-creates a child whose worker dies, under its parent', async () => {
    const system = await startSystem({ actors: ACTORS })
    const nursery = await system.spawn(Nursery, { placement: { worker: 0 } })
    const child = await nursery.ask.spawnOne({ worker: 1 })
    child.tell.die()
    await expect.poll(async () => (await system.stats()).threads[2]!.generation, { timeout: 15_000 }).toBe(1)
    await expect.poll(() => child.ask.thread().catch(() => -1), { timeout: 15_000 }).toBe(2)
    expect(await child.ask.parentId()).toBe(nursery.address.id)
  })

  it("stops the children of an actor of a local tree when it stops, and when its thread dies", async () => {
    const system = await startSystem({ actors: ACTORS })
    const nursery = await system.spawn(Nursery, { placement: { worker: 0 } })
    const before = await actorsOn(system)
    const recordedBefore = await recorded(system)
    const local = await nursery.ask.spawnLocal()
    expect(await local.ask.spawnMany(50, { worker: 1 }, 10)).toBe(50)
    expect(await recorded(system)).toBe(recordedBefore + 50)
    local.tell.stopSelf()
    await expect.poll(() => actorsOn(system), { timeout: 10_000 }).toEqual(before)
    expect(await recorded(system)).toBe(recordedBefore)

    const doomed = await nursery.ask.spawnLocal()
    expect(await doomed.ask.spawnMany(50, { worker: 1 }, 10)).toBe(50)
    doomed.tell.die()
    // Worker 0 is replaced (the nursery, recorded by main, is re-created there); the children
    // its local child had spawned on worker 1 have no parent left, and stop.
    await expect.poll(async () => (await actorsOn(system))[2], { timeout: 15_000 }).toBe(before[2])
    await expect.poll(() => recorded(system), { timeout: 15_000 }).toBe(recordedBefore)
  })
})
