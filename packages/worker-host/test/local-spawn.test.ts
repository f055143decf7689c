import { describe, expect, it } from 'vitest'
import { SpawnError, type SystemEvent } from '../src/index.js'
import { Leaf, Nest, Spawner, Tally } from './fixtures/local-tree.js'
import { Saboteur } from './fixtures/saboteur.js'
import { Watcher } from './fixtures/watcher.js'
import { fixture, startSystem } from './helpers/system.js'

const ACTORS = [fixture('local-tree.ts'), fixture('watcher.ts'), fixture('saboteur.ts')]

function collect(events: { subscribe(listener: (event: SystemEvent) => void): () => void }): SystemEvent[] {
  const seen: SystemEvent[] = []
  events.subscribe((event) => void seen.push(event))
  return seen
}

describe('local spawns: ctx.spawn on the parent thread', () => {
  it('spawns 100,000 actors from actors on every worker, every one started, none recorded on main', async () => {
    const system = await startSystem({ actors: ACTORS, heartbeatTimeoutMs: 60_000 })
    const spawners = await Promise.all([0, 1].map((worker) => system.spawn(Spawner, { placement: { worker } })))
    const before = await system.stats()
    // Per worker: 50 branches of 999 leaves each, plus the branches: 50,000 actors.
    const spawned = await Promise.all(spawners.map((spawner) => spawner.ask.grow(50, 999)))
    expect(spawned).toEqual([50_000, 50_000])
    const after = await system.stats()
    const workers = after.threads.filter((thread) => thread.kind === 'worker')
    expect(workers.map((thread) => thread.actors)).toEqual([50_001, 50_001])
    // Main's tables follow what main records (the two spawners), not their colocated children.
    expect(after.registry).toEqual(before.registry)
    expect(after.registry.actors).toBe(2)
  })

  it('a child spawned and told in the same handler gets every message, in order', async () => {
    const system = await startSystem({ actors: ACTORS })
    const nest = await system.spawn(Nest, { placement: { worker: 0 } })
    const index = await nest.ask.spawnAndTell(1000)
    const child = await nest.ask.child(index)
    expect(await child.ask.seen()).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    expect(await child.ask.thread()).toBe(1)
    expect(await child.ask.parentId()).toBe(nest.id)
  })

  it.each(['throw', 'reject'] as const)('a start that fails (%s) dead-letters what was queued with reason start-failed; asks reject with SpawnError', async (how) => {
    const system = await startSystem({ actors: ACTORS })
    const events = collect(system.events)
    const nest = await system.spawn(Nest, { placement: { worker: 1 } })
    const startFailed = () => system.deadLetters.countsByReason['start-failed'] ?? 0
    const answer = await nest.ask.spawnFailing(how, 7)
    expect(answer).toMatchObject({ name: 'SpawnError' })
    expect((answer as { message: string }).message).toMatch(/onStart failed: leaf (refused to start|start rejected)/)
    await expect.poll(startFailed).toBe(7)
    // Events travel the control plane, dead letters the data plane: either may arrive first.
    await expect.poll(() => events.filter((event) => event.type === 'actor-failed')).toHaveLength(1)
    const failed = events.filter((event) => event.type === 'actor-failed')
    expect(failed[0]).toMatchObject({ directive: 'stop' })
    expect((failed[0] as { error: Error }).error).toBeInstanceOf(SpawnError)
    // The parent carries on.
    expect(await nest.ask.spawnAndTell(1)).toBe(0)
  })

  it('a failing local child is restarted by its parent on its own thread, with the parent supervision', async () => {
    const system = await startSystem({ actors: ACTORS })
    const events = collect(system.events)
    const nest = await system.spawn(Nest, { placement: { worker: 0 } })
    await nest.ask.spawnMany(2)
    const [first, second] = await nest.ask.children()
    first!.tell.take(1)
    second!.tell.take(2)
    first!.tell.fail()
    await expect.poll(() => events.filter((event) => event.type === 'actor-restarted').map((event) => (event as { actor: number }).actor)).toEqual([first!.id])
    // A fresh instance (state gone), same ref; the sibling is untouched (one-for-one).
    expect(await first!.ask.seen()).toEqual([])
    expect(await second!.ask.seen()).toEqual([2])
    expect(events.find((event) => event.type === 'actor-failed')).toMatchObject({ actor: first!.id, directive: 'restart' })
  })

  it('one-for-all restarts the local siblings too', async () => {
    const system = await startSystem({ actors: ACTORS })
    const nest = await system.spawn(Nest, { placement: { worker: 0 }, supervision: { strategy: 'one-for-all' } })
    await nest.ask.spawnMany(3)
    const children = await nest.ask.children()
    children.forEach((child, i) => child.tell.take(i))
    // Every sibling has its message before the failure: otherwise one that had not processed it
    // yet (its turn cut by the time slice on a loaded machine) would process it after its restart.
    expect(await Promise.all(children.map((child) => child.ask.seen()))).toEqual([[0], [1], [2]])
    children[1]!.tell.fail()
    await expect.poll(async () => Promise.all(children.map((child) => child.ask.seen()))).toEqual([[], [], []])
  })

  it('a failure escalated past the local tree reaches main: the parent is restarted, and its children stop', async () => {
    const system = await startSystem({ actors: ACTORS })
    const events = collect(system.events)
    const tally = await system.spawn(Tally, { placement: 'main' })
    const nest = await system.spawn(Nest, { placement: { worker: 1 }, supervision: { decider: { default: 'escalate' } } })
    await nest.ask.spawnMany(3, undefined, tally)
    const children = await nest.ask.children()
    children[0]!.tell.fail()
    await expect.poll(() => events.filter((event) => event.type === 'actor-restarted').map((event) => (event as { actor: number }).actor)).toEqual([nest.id])
    // Akka: a restarted actor's children are stopped, in reverse start order.
    await expect.poll(() => tally.ask.list()).toEqual(children.map((child) => child.id).reverse())
    expect(await nest.ask.children()).toEqual([])
  })

  it('a permanent local child that stops itself is restarted; a transient one is not', async () => {
    const system = await startSystem({ actors: ACTORS })
    const events = collect(system.events)
    const nest = await system.spawn(Nest, { placement: { worker: 0 } })
    await nest.ask.spawnMany(1, 'permanent')
    await nest.ask.spawnMany(1, 'transient')
    const [permanent, transient] = await nest.ask.children()
    permanent!.tell.take(5)
    permanent!.tell.exit()
    transient!.tell.exit()
    await expect.poll(() => events.filter((event) => event.type === 'actor-restarted').map((event) => (event as { actor: number }).actor)).toEqual([permanent!.id])
    expect(await permanent!.ask.seen()).toEqual([])
    await expect.poll(() => nest.ask.alive()).toBe(1)
  })

  it('local children are watched from other threads, found by name, and stopped by the system', async () => {
    const system = await startSystem({ actors: ACTORS })
    const watcher = await system.spawn(Watcher, { placement: { worker: 1 } })
    const nest = await system.spawn(Nest, { placement: { worker: 0 } })
    const named = await nest.ask.spawnNamed('local-leaf')
    named.tell.take(3)
    // A local child's name is registered on main while it starts: once it answers, lookup finds it.
    expect(await named.ask.seen()).toEqual([3])
    expect((await system.lookup<Leaf>('local-leaf'))?.id).toBe(named.id)
    expect(await nest.ask.spawnNamedAndAsk('local-leaf')).toMatch(/^SpawnError: .*local-leaf/)
    await watcher.ask.watchIt(named)
    await system.stop(named)
    await expect.poll(() => watcher.ask.terminated()).toEqual([named.id])
    expect(await system.lookup('local-leaf')).toBeUndefined()
    // The name is free again.
    const again = await nest.ask.spawnNamed('local-leaf')
    expect(await again.ask.seen()).toEqual([])
  })

  it('local children die with their worker: watchers are told, the recorded parent comes back without them', async () => {
    const system = await startSystem({ actors: ACTORS })
    const watcher = await system.spawn(Watcher, { placement: { worker: 0 } })
    const nest = await system.spawn(Nest, { placement: { worker: 1 } })
    const saboteur = await system.spawn(Saboteur, { placement: { worker: 1 } })
    await nest.ask.spawnMany(2)
    const children = await nest.ask.children()
    for (const child of children) await watcher.ask.watchIt(child)
    saboteur.tell.exitProcess(1)
    await expect.poll(() => watcher.ask.terminated(), { timeout: 10_000 }).toEqual(expect.arrayContaining(children.map((child) => child.id)))
    await expect.poll(async () => (await nest.ask.children()).length, { timeout: 10_000 }).toBe(0)
    expect((await system.stats()).registry.names).toBe(0)
  })
})
