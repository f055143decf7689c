import { expect, it } from 'vitest'
import { ActorSystem, type SystemStats } from '../src/index.js'
import { Churner, heapAfterGc } from './fixtures/churn.js'
import { FIXTURE_ACTORS } from './helpers/system.js'

/** What must not grow with the number of actors that ever lived: every per-actor table. */
const tables = (stats: SystemStats): unknown => ({ registry: stats.registry, retainedIds: stats.threads.map((thread) => thread.retainedIds) })

/**
 * Nothing may grow with the number of actors that ever lived (a host once kept every stopped
 * id, ~32 bytes each). After a warm-up churn, a second churn of the same size, 3 actors alive
 * at the end, must leave every per-actor table the same size, and both heaps about where they
 * were. The table sizes are exact; the heap bounds are wide (collector noise on a shared machine
 * reaches ~50 bytes per actor at this count), so they catch a leaked actor (kilobytes), not a
 * leaked number: that is what the table sizes are for. Timings are not asserted.
 */
it('spawning and stopping 3 000 actors (twice) leaves every per-actor table and both heaps where they were', async () => {
  const system = await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS })
  try {
    const churner = (await system.spawn(Churner, { placement: { worker: 0 } })).with({ timeoutMs: 120_000 })
    const count = 3_000
    await churner.ask.churn(count, 3) // warm-up: code compiled, tables at their high-water size
    // `ctx.stop` does not wait: the last stops may still be in the children's mailboxes.
    await expect.poll(async () => (await system.stats()).threads.map((thread) => thread.retainedIds), { timeout: 15_000 }).toEqual([0, 4])
    const before = tables(await system.stats())
    const workerBefore = await churner.ask.heap()
    const mainBefore = await heapAfterGc()
    expect(await churner.ask.churn(count, 3)).toBe(3)
    const perActor = { worker: ((await churner.ask.heap()) - workerBefore) / count, main: ((await heapAfterGc()) - mainBefore) / count }
    await expect.poll(async () => (await system.stats()).threads.map((thread) => thread.retainedIds), { timeout: 15_000 }).toEqual([0, 4])
    const after = await system.stats()
    expect(tables(after)).toEqual(before)
    // The churner and the 3 children it keeps are all that is left; main records only the churner
    // (its children live on its thread, supervised there).
    expect(after.registry).toMatchObject({ actors: 1, names: 0, watched: 0 })
    expect(after.threads.map((thread) => thread.retainedIds)).toEqual([0, 4])
    expect(perActor.worker, JSON.stringify(perActor)).toBeLessThan(256)
    expect(perActor.main, JSON.stringify(perActor)).toBeLessThan(256)
  } finally {
    await system.shutdown()
  }
}, 120_000)
