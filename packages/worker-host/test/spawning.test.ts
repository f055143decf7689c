import { describe, expect, it } from 'vitest'
import { ActorNameTakenError, ActorNotAllowedError, InvalidOptionError, SpawnError, actorType } from '../src/index.js'
import { Echo, EventLog, Fragile, Parent } from './fixtures/actors.js'
import { Counter } from './fixtures/counter.js'
import type { Forbidden } from './forbidden/forbidden.js'
import { Saboteur } from './fixtures/saboteur.js'
import { FIXTURES_DIR, errorOf, fixture, startSystem } from './helpers/system.js'

describe('names', () => {
  it('a second live actor with the same name is refused with ActorNameTakenError; the name frees on stop', async () => {
    const system = await startSystem()
    const first = await system.spawn(Counter, { name: 'unique' })
    await expect(system.spawn(Counter, { name: 'unique' })).rejects.toBeInstanceOf(ActorNameTakenError)
    await expect(system.spawn(Counter, { name: 'unique', placement: 'main' })).rejects.toMatchObject({ code: 'ERR_ACTOR_NAME_TAKEN', actorName: 'unique' })
    await system.stop(first)
    const second = await system.spawn(Counter, { name: 'unique' })
    expect(second.id).not.toBe(first.id)
    expect((await system.lookup('unique'))?.id).toBe(second.id)
  })
})

describe('actor modules', () => {
  it('a module that cannot be imported fails with SpawnError naming the module and export', async () => {
    const system = await startSystem()
    const missing = actorType<typeof Counter>(fixture('does-not-exist.ts'), 'Missing')
    const error = await errorOf<SpawnError>(system.spawn(missing))
    expect(error).toBeInstanceOf(SpawnError)
    expect(error).toMatchObject({ code: 'ERR_SPAWN', exportName: 'Missing', module: fixture('does-not-exist.ts').href })
    expect(error.message).toMatch(/does-not-exist\.ts/)
    expect(error.message).toMatch(/cannot be imported/)

    const broken = await errorOf<SpawnError>(system.spawn(actorType<typeof Counter>(fixture('broken.ts'), 'Anything')))
    expect(broken.message).toMatch(/broken on purpose/)
  })

  it('an export that is missing, or is not an Actor class, fails with SpawnError', async () => {
    const system = await startSystem()
    await expect(system.spawn(actorType<typeof Counter>(fixture('actors.ts'), 'NoSuchExport'))).rejects.toThrow(/no export named "NoSuchExport"/)
    await expect(system.spawn(actorType<typeof Counter>(fixture('actors.ts'), 'notAnActor'))).rejects.toThrow(/not a class extending Actor/)
    await expect(system.spawn(actorType<typeof Counter>(fixture('actors.ts'), 'PlainClass'))).rejects.toThrow(/not a class extending Actor/)
  })

  it('the worker itself refuses a module that is not on the allow-list', async () => {
    const system = await startSystem()
    const forbidden = actorType<typeof Forbidden>(new URL('./forbidden/forbidden.ts', import.meta.url), 'Forbidden')
    // Placement on a worker: the main thread does not pre-check, so this is the worker's refusal.
    const error = await errorOf(system.spawn(forbidden, { placement: { worker: 1 } }))
    expect(error).toBeInstanceOf(ActorNotAllowedError)
    expect(error).toBeInstanceOf(SpawnError)
    expect(error).toMatchObject({ code: 'ERR_ACTOR_NOT_ALLOWED', exportName: 'Forbidden' })
    await expect(system.spawn(forbidden, { placement: 'main' })).rejects.toBeInstanceOf(ActorNotAllowedError)
    // A path that climbs out of an allowed folder is normalised first, and refused.
    const sneaky = actorType<typeof Forbidden>(`${fixture('').href}../forbidden/forbidden.ts`, 'Forbidden')
    await expect(system.spawn(sneaky)).rejects.toBeInstanceOf(ActorNotAllowedError)
  })

  it('a class whose module file is not listed cannot be spawned by class', async () => {
    const system = await startSystem({ actors: [fixture('actors.ts')] })
    await expect(system.spawn(Counter)).rejects.toThrow(/not exported by any module file/)
  })

  it('constructor and onStart failures are SpawnErrors with the cause attached; the name is released', async () => {
    const system = await startSystem()
    for (const placement of [{ worker: 0 }, 'main'] as const) {
      const inConstructor = await errorOf<SpawnError>(system.spawn(Fragile, { args: ['throw-in-constructor'], name: 'fragile', placement }))
      expect(inConstructor).toBeInstanceOf(SpawnError)
      expect(inConstructor.message).toMatch(/constructor threw: constructor refused/)
      expect((inConstructor.cause as Error).message).toBe('constructor refused')
      const onStart = await errorOf<SpawnError>(system.spawn(Fragile, { args: ['fail-on-start'], name: 'fragile', placement }))
      expect(onStart.message).toMatch(/onStart failed: start refused/)
      const healthy = await system.spawn(Fragile, { args: ['ok'], name: 'fragile', placement })
      expect(await healthy.ask.ping()).toBe('pong')
      await system.stop(healthy)
    }
  })
})

describe('folders in the allow-list', () => {
  it('spawn(Class) finds a class exported by a module inside an allowed folder', async () => {
    const system = await startSystem({ actors: [FIXTURES_DIR] }) // saboteur.ts is not listed on its own
    const saboteur = await system.spawn(Saboteur, { placement: { worker: 1 } })
    saboteur.tell.bump()
    expect(await saboteur.ask.count()).toBe(1)
  })
})

describe('placement', () => {
  it('spreads 10,000 actors over all workers, and every one of them answers', async () => {
    const system = await startSystem({ workers: 2 })
    const count = 10_000
    const refs = await Promise.all(Array.from({ length: count }, (_, i) => system.spawn(Counter, { args: [i] })))
    const answers = await Promise.all(refs.map((ref) => ref.ask.get()))
    expect(answers).toEqual(Array.from({ length: count }, (_, i) => i))
    const threads = await Promise.all(refs.map((ref) => ref.ask.where()))
    const perThread = new Map<number, number>()
    for (const thread of threads) perThread.set(thread, (perThread.get(thread) ?? 0) + 1)
    expect([...perThread.keys()].sort()).toEqual([1, 2])
    expect(perThread.get(1)).toBe(count / 2) // round-robin is exact
    const stats = await system.stats()
    expect(stats.threads.filter((t) => t.kind === 'worker').map((t) => t.actors)).toEqual([count / 2, count / 2])
  })

  it('honours pinned, colocated, hashed, main and least-loaded placement', async () => {
    const system = await startSystem({ workers: 2 })
    const pinned = await system.spawn(Echo, { placement: { worker: 1 } })
    expect(await pinned.ask.thread()).toBe(2)
    const buddy = await system.spawn(Echo, { placement: { colocateWith: pinned } })
    expect(await buddy.ask.thread()).toBe(2)
    const onMain = await system.spawn(Echo, { placement: 'main' })
    expect(await onMain.ask.thread()).toBe(0)
    const hashedA = await system.spawn(Echo, { placement: { hash: 'customer-42' } })
    const hashedB = await system.spawn(Echo, { placement: { hash: 'customer-42' } })
    expect(await hashedA.ask.thread()).toBe(await hashedB.ask.thread())
  })

  it('least-loaded fills the emptier worker first', async () => {
    // No load report comes during the test, so how busy each worker happens to be on this
    // machine does not count: the actors placed since the last report decide.
    const system = await startSystem({ workers: 2, loadReportIntervalMs: 600_000 })
    for (let i = 0; i < 3; i++) await system.spawn(Echo, { placement: { worker: 1 } })
    const placed: number[] = []
    for (let i = 0; i < 3; i++) placed.push(await (await system.spawn(Echo, { placement: 'least-loaded' })).ask.thread())
    expect(placed).toEqual([1, 1, 1])
  })

  it('rejects invalid placements with an error naming the option', async () => {
    const system = await startSystem({ workers: 2 })
    await expect(system.spawn(Echo, { placement: { worker: 2 } })).rejects.toThrow(/placement\.worker.*0 to 1/)
    await expect(system.spawn(Echo, { placement: 'fastest' as never })).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(system.spawn(Echo, { placement: { colocateWith: {} as never } })).rejects.toThrow(/placement\.colocateWith/)
    await expect(system.spawn(Echo, { name: '' })).rejects.toThrow(/option "name"/)
  })
})

describe('children', () => {
  it.each(['local', 'round-robin'] as const)('actors spawn children (%s); children know their parent; stop is child-first', async (placement) => {
    const system = await startSystem({ workers: 2 })
    const log = await system.spawn(EventLog, { placement: 'main' })
    const parent = await system.spawn(Parent, { args: [log], name: 'parent', placement: { worker: 0 } })
    const threads = await parent.ask.spawnChildren(4, placement)
    // Local children live on their parent's thread (worker 0 is thread 1); others go to any worker.
    expect(new Set(threads)).toEqual(placement === 'local' ? new Set([1]) : new Set([1, 2]))
    expect(await parent.ask.childrenParents()).toEqual([parent.id, parent.id, parent.id, parent.id])
    // Local children cost the main thread nothing: it records only the log and the parent.
    if (placement === 'local') expect((await system.stats()).registry.actors).toBe(2)

    await system.stop(parent)
    // Children stop in reverse start order, all before the parent (OTP).
    // Each stop completes after the actor's log message was sent, and all travel to main.
    await expect.poll(async () => (await log.ask.entries()).length).toBe(5)
    expect(await log.ask.entries()).toEqual(['stop child-3', 'stop child-2', 'stop child-1', 'stop child-0', 'stop parent'])
  })
})
