import { describe, expect, it } from 'vitest'
import { InvalidOptionError, MessageEncodeError } from '../src/index.js'
import { runtimeOf } from '../src/system/actor-system.js'
import { Publisher, Reader, type News } from './fixtures/pubsub.js'
import { Listener } from './fixtures/entities.js'
import { tempStoreDir } from './helpers/store.js'
import { errorOf, startSystem, until } from './helpers/system.js'

const seqs = (news: readonly News[], from: string): number[] => news.filter((n) => n.from === from).map((n) => n.seq)
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)

describe('pub/sub topics', () => {
  it('delivers every publish to every subscriber, on every thread and on main, in each publisher’s order', async () => {
    const system = await startSystem({ workers: 2 })
    const readers = await Promise.all([1, 1, 2, 0].map((worker) => system.spawn(Reader, worker === 0 ? { placement: 'main' as const } : { placement: { worker: worker - 1 } })))
    const onMain: News[] = []
    const subscription = system.topic<News>('news').subscribe((news) => onMain.push(news))
    const publishers = await Promise.all([0, 1].map((worker) => system.spawn(Publisher, { placement: { worker } })))
    expect(await publishers[0]!.ask.publish('news', 'p1', 100)).toBe(1)
    expect(await publishers[1]!.ask.publish('news', 'p2', 100)).toBe(2)
    for (let i = 1; i <= 50; i++) system.topic<News>('news').publish({ seq: i, from: 'main' })
    const total = 250
    await until(async () => (await Promise.all(readers.map((r) => r.ask.received()))).every((got) => got.length === total) && onMain.length === total)
    for (const got of [...(await Promise.all(readers.map((r) => r.ask.received()))), onMain]) {
      expect(seqs(got, 'p1')).toEqual(upTo(100))
      expect(seqs(got, 'p2')).toEqual(upTo(100))
      expect(seqs(got, 'main')).toEqual(upTo(50))
    }
    subscription.unsubscribe()
    subscription.unsubscribe() // idempotent
  })

  it('main knows only which threads subscribe: a publish crosses to each once, and threads leave as their last subscriber does', async () => {
    const system = await startSystem({ workers: 2 })
    const directory = runtimeOf(system).mainHost.topics.directory!
    const a = await system.spawn(Reader, { args: ['t'], placement: { worker: 0 } })
    const b = await system.spawn(Reader, { args: ['t'], placement: { worker: 0 } })
    await until(async () => directory.threadsOf('t').join() === '1')
    await a.ask.leave()
    await system.stop(b)
    await until(async () => directory.threadsOf('t').length === 0)
    // With nobody subscribed, a publish goes nowhere (and is no error).
    system.topic('t').publish({ seq: 1, from: 'main' })
    expect(await a.ask.received()).toEqual([])
  })

  it('a restarted subscriber keeps its subscription; a stopped one loses it', async () => {
    const system = await startSystem({ workers: 1 })
    const reader = await system.spawn(Reader, { args: ['r'], placement: { worker: 0 } })
    reader.tell.crash()
    const publisher = await system.spawn(Publisher, { placement: { worker: 0 } })
    await publisher.ask.publish('r', 'p', 3)
    await until(async () => (await reader.ask.received()).length === 3)
    const directory = runtimeOf(system).mainHost.topics.directory!
    expect(directory.threadsOf('r')).toEqual([1])
    await system.stop(reader)
    await until(async () => directory.threadsOf('r').length === 0)
  })

  it("a passivated entity's subscription is removed with it; its next activation subscribes again", async () => {
    const system = await startSystem({ workers: 2, persistence: { store: 'lmdb', path: tempStoreDir() } })
    const directory = runtimeOf(system).mainHost.topics.directory!
    const listener = system.entity(Listener, 'l')
    expect(await listener.ask.heard()).toEqual([])
    await until(async () => directory.threadsOf('entity-news').length === 1)
    system.topic<number>('entity-news').publish(1)
    await until(async () => (await listener.ask.heard()).length === 1)
    await listener.ask.passivate()
    await until(async () => directory.threadsOf('entity-news').length === 0)
    system.topic<number>('entity-news').publish(2) // nobody subscribes now: it goes nowhere
    expect(await listener.ask.heard()).toEqual([1])
    await until(async () => directory.threadsOf('entity-news').length === 1)
    system.topic<number>('entity-news').publish(3)
    await until(async () => (await listener.ask.heard()).length === 2)
    expect(await listener.ask.heard()).toEqual([1, 3])
  })

  it('refuses what cannot be published or subscribed, naming it', async () => {
    const system = await startSystem({ workers: 1 })
    expect(() => system.topic('')).toThrow(InvalidOptionError)
    expect(() => system.topic('news').publish({ f: () => 1 } as never)).toThrow(MessageEncodeError)
    expect(() => system.topic('news').subscribe('nope' as never)).toThrow(/subscribe\(listener\)/)
    const publisher = await system.spawn(Publisher, { placement: { worker: 0 } })
    expect((await errorOf(publisher.ask.publish('', 'x', 1))).message).toMatch(/topic/)
  })
})
