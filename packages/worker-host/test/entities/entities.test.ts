import { describe, expect, it } from 'vitest'
import { ActorNotFoundError, ActorSystem, StateEncodeError, StoreError, entityType, type ActorRef, type ActorSystemOptions } from '../../src/index.js'
import { entityThread } from '../../src/entity/thread-entities.js'
import { TestKit } from '../../src/testkit/index.js'
import { Fragile, Tally } from '../fixtures/entities.js'
import { FIXTURE_ACTORS, afterTest, errorOf, eventually } from '../helpers/system.js'
import { tempStoreDir } from '../helpers/store.js'

// Entities on real worker threads and a real LMDB store in a temporary directory.

async function start(path: string, options: Partial<ActorSystemOptions> = {}): Promise<ActorSystem> {
  const system = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS, persistence: { store: 'lmdb', path }, ...options })
  afterTest(() => system.shutdown())
  return system
}

describe('entities', () => {
  it('gives a ref at once; the first message activates the entity on the thread its key hashes to', async () => {
    const system = await start(tempStoreDir())
    const keys = ['a', 'b', 'c', 'd', 'e', 'f']
    for (const key of keys) {
      const tally = system.entity(Tally, key)
      expect(tally.toString()).toBe(`entity tally/${key}`)
      expect(await tally.ask.add(2)).toBe(2)
      expect(await tally.ask.add(3)).toBe(5)
      const where = await tally.ask.where()
      expect(where.key).toBe(key)
      expect(where.thread).toBe(entityThread(`tally/${key}`, 2))
    }
    // Keys are independent, and spread over both workers.
    expect(new Set(keys.map((key) => entityThread(`tally/${key}`, 2)))).toEqual(new Set([1, 2]))
  })

  it('keeps its state across passivation: a new activation starts from what was committed', async () => {
    const system = await start(tempStoreDir())
    const tally = system.entity(Tally, 'p')
    await tally.ask.add(7)
    const first = await tally.ask.where()
    await tally.ask.passivate()
    const second = await tally.ask.where()
    expect(second.serial).not.toBe(first.serial)
    expect((await tally.ask.get()).count).toBe(7)
  })

  it('keeps its state across a restart of the whole system on the same store', async () => {
    const path = tempStoreDir()
    const before = await start(path)
    await before.entity(Tally, 'r').ask.add(11)
    await before.shutdown()
    const after = await start(path)
    expect((await after.entity(Tally, 'r').ask.get()).count).toBe(11)
  })

  it('a message that fails changes nothing: thrown, rejected, or leaving a state that cannot be stored', async () => {
    const system = await start(tempStoreDir())
    const tally = system.entity(Tally, 'f')
    await tally.ask.add(1)
    expect((await errorOf(tally.ask.addThenFail(5))).message).toBe('failed after adding 5')
    expect((await errorOf(tally.ask.addThenReject(6))).message).toBe('rejected after adding 6')
    const spoiled = await errorOf(tally.ask.spoil())
    expect(spoiled).toBeInstanceOf(StateEncodeError)
    expect(spoiled.message).toContain('tally/f')
    expect(await tally.ask.get()).toEqual({ count: 1, fired: [] })
    // A tell that fails restarts the activation from the committed state; it goes on.
    tally.tell.addThenFail(100)
    expect(await tally.ask.add(1)).toBe(2)
  })

  it("a handler that calls the entity's own methods is one message: one commit, its value returned", async () => {
    const system = await start(tempStoreDir())
    const tally = system.entity(Tally, 'twice')
    expect(await tally.ask.addTwice(3)).toBe(6)
    await tally.ask.passivate()
    expect((await tally.ask.get()).count).toBe(6)
  })

  it('an entity whose restart fails is stopped, not restarted in a loop; its next message activates it afresh', async () => {
    const system = await start(tempStoreDir())
    const failures: unknown[] = []
    system.events.subscribe((event) => {
      if (event.type === 'actor-failed') failures.push(event)
    })
    const fragile = system.entity(Fragile, 'f')
    const first = await fragile.ask.hit()
    fragile.tell.breakDown()
    // Its stop sends what it held to dead letters; the asks sent meanwhile may be among them.
    const after = await eventually(() => fragile.ask.hit())
    expect(after.serial).not.toBe(first.serial)
    expect(after.hits).toBe(2)
    expect(failures.length).toBeLessThanOrEqual(3)
  })

  it("publishes an entity's handler makes leave once its state is stored, and never when the message fails", async () => {
    const system = await start(tempStoreDir())
    const heard: { key: string; count: number }[] = []
    let arrived: () => void = () => undefined
    system.topic<{ key: string; count: number }>('tally-news').subscribe((news) => {
      heard.push(news)
      arrived()
    })
    const tally = system.entity(Tally, 'news')
    expect((await errorOf(tally.ask.announceThenFail(5))).message).toBe('failed after publishing')
    const next = new Promise<void>((resolve) => (arrived = resolve))
    expect(await tally.ask.announce(1)).toBe(1)
    await next
    expect(heard).toEqual([{ key: 'news', count: 1 }])
  })

  it('one activation per key: concurrent first messages from main and from entities on both workers all reach it', async () => {
    const system = await start(tempStoreDir())
    const target = system.entity(Tally, 'shared')
    const senders = ['s1', 's2', 's3', 's4', 's5', 's6'].map((key) => system.entity(Tally, key))
    const sends: Promise<number>[] = []
    for (let i = 0; i < 50; i++) {
      sends.push(target.ask.add(1))
      for (const sender of senders) sends.push(sender.ask.addTo('shared', 1))
    }
    await Promise.all(sends)
    expect((await target.ask.get()).count).toBe(50 * 7)
    const serials = new Set<string>()
    for (let i = 0; i < 5; i++) serials.add((await target.ask.where()).serial)
    expect(serials.size).toBe(1)
  })

  it('a ref kept in durable state still reaches its entity after a restart of the system', async () => {
    const path = tempStoreDir()
    const before = await start(path)
    await before.entity(Tally, 'holder').ask.keep(before.entity(Tally, 'held'))
    await before.entity(Tally, 'held').ask.add(1)
    await before.shutdown()
    const after = await start(path)
    expect(await after.entity(Tally, 'holder').ask.addThroughKept(2)).toBe(3)
  })

  it('a worker that crashes loses its activations, not their state: the next message activates them again', async () => {
    const kit = await TestKit.start({ workers: 2, actors: FIXTURE_ACTORS, persistence: { store: 'lmdb', path: tempStoreDir() } })
    afterTest(() => kit.shutdown())
    const tally = kit.system.entity(Tally, 'crash')
    await tally.ask.add(5)
    const before = await tally.ask.where()
    await kit.crashWorker(before.thread)
    // The slot recovers with a fresh worker; until then a message may find it gone (worker-died).
    const after = await eventually(() => tally.ask.where())
    expect(after.serial).not.toBe(before.serial)
    expect(after.thread).toBe(before.thread)
    expect((await tally.ask.get()).count).toBe(5)
  })

  it('refs to entities travel in messages and name the same entity', async () => {
    const system = await start(tempStoreDir())
    const tally = system.entity(Tally, 'ref')
    const self = await tally.ask.self()
    expect(self.toString()).toBe('entity tally/ref')
    await self.ask.add(4)
    expect((await tally.ask.get()).count).toBe(4)
    expect(await system.entity(entityType<typeof Tally>('tally'), 'ref').ask.add(1)).toBe(5)
  })

  it('fails clearly without a store, for an unknown entity type, and for a bad key', async () => {
    const plain = await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS })
    afterTest(() => plain.shutdown())
    const noStore = await errorOf(plain.entity(Tally, 'x').ask.get())
    expect(noStore).toBeInstanceOf(StoreError)
    expect(noStore.message).toContain('persistence')
    const system = await start(tempStoreDir())
    const unknown = await errorOf((system.entity(entityType('Nope'), 'x') as unknown as ActorRef<Tally>).ask.get())
    expect(unknown).toBeInstanceOf(ActorNotFoundError)
    expect(() => system.entity(Tally, '')).toThrow(/key/)
    expect(() => system.entity(Tally, 'k'.repeat(1025))).toThrow(/key/)
    expect(() => system.entity(Tally, 'é'.repeat(510))).toThrow(/UTF-8 bytes/)
    expect(() => system.entity(Tally, 'a\u0000b')).toThrow(/key/)
    // An entity is not spawned: it would run without its key and its state.
    expect((await errorOf((system.spawn as (type: unknown) => Promise<unknown>).call(system, Tally))).message).toMatch(/entities are not spawned/)
  })

  it('validates the persistence and entities options, naming them', async () => {
    await expect(ActorSystem.start({ actors: FIXTURE_ACTORS, persistence: { store: 'disk' } as never })).rejects.toThrow(/persistence\.store/)
    await expect(ActorSystem.start({ actors: FIXTURE_ACTORS, persistence: { store: 'lmdb', durability: 'maybe' } as never })).rejects.toThrow(/persistence\.durability/)
    await expect(ActorSystem.start({ actors: FIXTURE_ACTORS, entities: { idleTimeoutMs: 0 } })).rejects.toThrow(/entities\.idleTimeoutMs/)
    await expect(ActorSystem.start({ actors: FIXTURE_ACTORS, entities: { idle: 5 } as never })).rejects.toThrow(/entities\.idle/)
  })

  it('works on the in-memory store, from every worker', async () => {
    const system = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS, persistence: { store: 'memory' } })
    afterTest(() => system.shutdown())
    for (const key of ['m1', 'm2', 'm3', 'm4']) {
      const tally = system.entity(Tally, key)
      await tally.ask.add(3)
      await tally.ask.passivate()
      expect((await tally.ask.get()).count).toBe(3)
    }
  })
})
