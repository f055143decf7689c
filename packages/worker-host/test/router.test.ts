import { describe, expect, it } from 'vitest'
import { InvalidOptionError, NoRouteeError, WorkerCrashedError, type GroupRouter, type SystemEvent } from '../src/index.js'
import { ReceiveRoutee, Routee, Sink } from './fixtures/routing.js'
import { errorOf, fixture, startSystem } from './helpers/system.js'

async function setup() {
  const system = await startSystem({ actors: [fixture('routing.ts')] })
  const sink = await system.spawn(Sink, { placement: 'main' })
  return { system, sink }
}

describe('group routers', () => {
  it('route to the refs they are given; add and remove change the routees', async () => {
    const { system, sink } = await setup()
    const [a, b, c] = await Promise.all([0, 1, 2].map((worker) => system.spawn(Routee, { args: [sink], placement: worker === 2 ? 'main' : { worker } })))
    const group = await system.router([a!, b!], { strategy: 'round-robin' })
    expect((await group.routees()).map((ref) => ref.id)).toEqual([a!.id, b!.id])
    await group.add(c!)
    expect((await group.routees()).map((ref) => ref.id)).toEqual([a!.id, b!.id, c!.id])
    await group.remove(a!)
    for (let seq = 0; seq < 10; seq++) group.tell.job('g', seq)
    await expect.poll(() => sink.ask.count()).toBe(10)
    // In send order, the two remaining members take turns (the sink hears them interleaved).
    const handledBy = (await sink.ask.seen()).sort((x, y) => x[2] - y[2]).map(([routee]) => routee)
    expect(new Set(handledBy)).toEqual(new Set([b!.id, c!.id]))
    handledBy.forEach((routee, seq) => expect(routee).toBe(handledBy[seq % 2]))
    expect(await a!.ask.whoami()).toBe(a!.id) // removed from the group, not stopped
  })

  it('drop a member that stops', async () => {
    const { system, sink } = await setup()
    const [a, b] = await Promise.all([0, 1].map((worker) => system.spawn(Routee, { args: [sink], placement: { worker } })))
    const group = await system.router([a!, b!], { strategy: 'random' })
    await system.stop(a!)
    await expect.poll(async () => (await group.routees()).map((ref) => ref.id)).toEqual([b!.id])
    expect(await group.ask.whoami()).toBe(b!.id)
  })

  it('reject pool operations, and pools reject group operations, without failing the router', async () => {
    const { system, sink } = await setup()
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const member = await system.spawn(Routee, { args: [sink] })
    const group = await system.router([member], { strategy: 'round-robin' })
    const pool = await system.router(Routee, { strategy: 'round-robin', size: 1, routee: { args: [sink] } })
    const routees = (await pool.routees()).map((ref) => ref.id)
    expect(await errorOf((group as unknown as typeof pool).resize(3))).toBeInstanceOf(InvalidOptionError)
    expect(await errorOf((pool as unknown as typeof group).add(member))).toBeInstanceOf(InvalidOptionError)
    expect((await pool.routees()).map((ref) => ref.id)).toEqual(routees)
    expect(events.filter((event) => event.type === 'actor-failed')).toEqual([])
  })
})

describe('routing without routees', () => {
  it('rejects an ask with NoRouteeError and records a tell as a dead letter', async () => {
    const { system } = await setup()
    const empty = await system.router<Routee>([], { strategy: 'round-robin', name: 'empty' })
    const error = await errorOf(empty.ask.whoami())
    expect(error).toBeInstanceOf(NoRouteeError)
    expect((error as NoRouteeError).code).toBe('ERR_NO_ROUTEE')
    empty.tell.job('x', 1)
    await expect.poll(() => system.deadLetters.countsByReason['no-routee']).toBe(1)
  })
})

describe('consistent-hash keys', () => {
  it('take a key path into receive-style messages', async () => {
    const { system, sink } = await setup()
    const router = await system.router(ReceiveRoutee, { strategy: 'consistent-hash', size: 4, hashKey: { path: 'user.id' }, routee: { args: [sink] } })
    for (let seq = 0; seq < 200; seq++) router.tell({ user: { id: `u${seq % 7}` }, seq })
    await expect.poll(() => sink.ask.count()).toBe(200)
    const owner = new Map<string, number>()
    for (const [routee, user] of await sink.ask.seen()) expect(owner.get(user) ?? owner.set(user, routee).get(user)).toBe(routee)
  })

  it('take a key function when the router lives on the main thread', async () => {
    const { system, sink } = await setup()
    const router = await system.router(Routee, {
      strategy: 'consistent-hash',
      size: 3,
      placement: 'main',
      hashKey: (message) => (message.args[1] as number) % 2, // two keys: even and odd sequence numbers
      routee: { args: [sink] },
    })
    for (let seq = 0; seq < 100; seq++) router.tell.job('any', seq)
    await expect.poll(() => sink.ask.count()).toBe(100)
    const seen = await sink.ask.seen()
    expect(new Set(seen.filter(([, , seq]) => seq % 2 === 0).map(([routee]) => routee)).size).toBe(1)
    expect(new Set(seen.filter(([, , seq]) => seq % 2 === 1).map(([routee]) => routee)).size).toBe(1)
  })
})

describe('balancing', () => {
  it("the shared queue honours message priority", async () => {
    const { system, sink } = await setup()
    const pool = await system.router(Routee, { strategy: 'balancing', size: 1, prefetch: 1, placement: 'main', routee: { args: [sink] } })
    const busy = pool.ask.work('busy', 0, 300) // holds the only routee; everything else waits at the router
    pool.with({ priority: 'low' }).tell.job('low', 1)
    pool.with({ priority: 'low' }).tell.job('low', 2)
    pool.tell.job('normal', 3)
    pool.with({ priority: 'high' }).tell.job('high', 4)
    pool.with({ priority: 'high' }).tell.job('high', 5)
    await busy
    await expect.poll(() => sink.ask.count()).toBe(6)
    expect((await sink.ask.seen()).map(([, , seq]) => seq)).toEqual([0, 4, 5, 3, 1, 2])
  })
})

describe('a key function that throws', () => {
  it('fails that message only: its ask rejects with the error, the router goes on', async () => {
    const { system, sink } = await setup()
    const router = await system.router(Routee, {
      strategy: 'consistent-hash',
      size: 2,
      placement: 'main',
      hashKey: (message) => {
        if (message.args[0] === 'bad') throw new TypeError('no key for bad')
        return message.args[0]
      },
      routee: { args: [sink] },
    })
    await expect(router.ask.job('bad', 1)).rejects.toThrow(TypeError)
    router.tell.job('bad', 2)
    await expect.poll(() => system.deadLetters.countsByReason['routing-failed']).toBe(1)
    expect((await router.ask.job('good', 3)).routee).toBeTypeOf('number')
  })
})

describe('router options', () => {
  it('are validated, naming the option', async () => {
    const { system, sink } = await setup()
    const routee = { args: [sink] as [typeof sink] }
    await expect(system.router(Routee, { strategy: 'fastest' as never, size: 2, routee })).rejects.toThrow(/option "strategy"/)
    await expect(system.router(Routee, { strategy: 'random', size: -1, routee })).rejects.toThrow(/option "size"/)
    await expect(system.router(Routee, { strategy: 'random', size: 1, routee: { ...routee, name: 'r' } as never })).rejects.toThrow(/option "routee.name"/)
    await expect(system.router(Routee, { strategy: 'balancing', size: 1, prefetch: 0, routee })).rejects.toThrow(/option "prefetch"/)
    await expect(system.router(Routee, { strategy: 'consistent-hash', size: 1, virtualNodes: 0, routee })).rejects.toThrow(/option "virtualNodes"/)
    await expect(system.router(Routee, { strategy: 'consistent-hash', size: 1, hashKey: { path: '' }, routee })).rejects.toThrow(/option "hashKey.path"/)
    await expect(system.router(Routee, { strategy: 'consistent-hash', size: 1, hashKey: () => 1, routee })).rejects.toThrow(/option "hashKey"/)
    await expect(system.router(Routee, { strategy: 'random', size: 1, routee: { ...routee, placement: { worker: 9 } } })).rejects.toThrow(/option "placement.worker"/)
    await expect(system.router([sink, 'not a ref' as never], { strategy: 'random' })).rejects.toThrow(/option "routees\[1\]"/)
    const pool = await system.router(Routee, { strategy: 'random', size: 1, routee })
    await expect(pool.resize(1.5)).rejects.toThrow(/option "size"/)
    await expect((pool as unknown as GroupRouter<Routee>).add('x' as never)).rejects.toThrow(/option "routee"/)
  })

  it('names routers like actors', async () => {
    const { system, sink } = await setup()
    const router = await system.router(Routee, { strategy: 'round-robin', size: 2, name: 'workers', routee: { args: [sink] } })
    const found = await system.lookup<Routee>('workers')
    expect(found?.id).toBe(router.id)
    expect(await found!.ask.whoami()).toBeTypeOf('number')
  })
})

describe('routers and crashes', () => {
  it("a router whose worker dies comes back with fresh routees; what is sent meanwhile is routed", async () => {
    const { system, sink } = await setup()
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const router = await system.router(Routee, { strategy: 'round-robin', size: 2, placement: { worker: 0 }, routee: { args: [sink], placement: { worker: 1 } } })
    const before = (await router.routees()).map((ref) => ref.id)
    const bomb = await system.spawn(Routee, { args: [sink], placement: { worker: 0 } })
    bomb.tell.exitProcess()
    await expect.poll(() => events.some((event) => event.type === 'worker-replaced' && event.thread === 1), { timeout: 10_000 }).toBe(true)
    for (let seq = 0; seq < 20; seq++) router.tell.job('after', seq)
    await expect.poll(() => sink.ask.count(), { timeout: 10_000 }).toBe(20)
    const after = (await router.routees()).map((ref) => ref.id)
    expect(after).toHaveLength(2)
    expect(after.some((id) => before.includes(id))).toBe(false) // Akka: a restarted pool router starts new routees
    expect(new Set((await sink.ask.seen()).map(([routee]) => routee))).toEqual(new Set(after))
  })

  it('an ask forwarded to a routee whose worker dies fails at once with WorkerCrashedError', async () => {
    const { system, sink } = await setup()
    for (const placement of ['main', { worker: 0 }] as const) {
      const router = await system.router(Routee, { strategy: 'round-robin', size: 1, placement, routee: { args: [sink], placement: { worker: 1 } } })
      const pending = router.with({ timeoutMs: 25_000 }).ask.later(20_000)
      const [routee] = await router.routees()
      const bomb = await system.spawn(Routee, { args: [sink], placement: { colocateWith: routee! } })
      const killedAt = performance.now()
      bomb.tell.exitProcess()
      expect(await errorOf(pending)).toBeInstanceOf(WorkerCrashedError)
      expect(performance.now() - killedAt).toBeLessThan(10_000) // not its 25 s deadline
      await system.stop(router)
    }
  })

  it('a routee whose worker dies is restarted under the same ref and stays routed to', async () => {
    const { system, sink } = await setup()
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const router = await system.router(Routee, { strategy: 'round-robin', size: 2, placement: 'main', routee: { args: [sink], placement: { worker: 1 } } })
    const routees = await router.routees()
    routees[0]!.tell.exitProcess()
    await expect.poll(() => events.filter((event) => event.type === 'actor-restarted').length, { timeout: 10_000 }).toBe(2)
    expect((await router.routees()).map((ref) => ref.id)).toEqual(routees.map((ref) => ref.id))
    const replies = await Promise.all([0, 1, 2, 3].map(() => router.ask.whoami()))
    expect(new Set(replies)).toEqual(new Set(routees.map((ref) => ref.id)))
  })
})
