import { expect, it } from 'vitest'
import { ActorSystem, type ActorRef } from '../../src/index.js'
import { Counter } from '../fixtures/counter.js'
import { Publisher, Reader, type News } from '../fixtures/pubsub.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { afterTest, fixture, until } from '../helpers/system.js'

async function node(url: string, name: string): Promise<ActorSystem> {
  const system = await ActorSystem.start({
    workers: 1,
    handlerHangMs: 10_000, // a loaded CI machine is not a hang (see test/helpers/system.ts)
    actors: [fixture('counter.ts'), fixture('pubsub.ts')],
    cluster: { servers: url, node: name, heartbeatMs: 100, downAfterMs: 600 },
  })
  afterTest(() => system.shutdown())
  return system
}

const seqs = (news: readonly News[], from: string): number[] => news.filter((n) => n.from === from).map((n) => n.seq)
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)

describeWithNats('pub/sub topics across the nodes of a cluster (real nats-server)', () => {
  it("a publish on one node reaches the subscribers of every node, actors and listeners, in each publisher's order; refs in messages work where they arrive; a node stops following a topic when its last subscriber leaves", async () => {
    const server = await natsServerForTest({ jetstream: false })
    const [a, b] = await Promise.all([node(server.url, 'a'), node(server.url, 'b')])
    await until(async () => a.cluster!.members().length === 2 && b.cluster!.members().length === 2)

    // Subscribers on both nodes: an actor on each worker, and a listener on a's main thread.
    const readers = await Promise.all([a, b].map((system) => system.spawn(Reader, { placement: { worker: 0 } })))
    const onA: News[] = []
    const listening = a.topic<News>('news').subscribe((news) => onA.push(news))
    // The subscriptions travel (thread → main → NATS): a probe published until every subscriber has it.
    let probe = 0
    await until(async () => {
      b.topic<News>('news').publish({ seq: ++probe, from: 'probe' })
      return (await Promise.all(readers.map((r) => r.ask.received()))).every((got) => got.some((n) => n.from === 'probe')) && onA.some((n) => n.from === 'probe')
    })

    // Publishers on both nodes: an actor on b's worker, and a's main thread.
    const publisher = await b.spawn(Publisher, { placement: { worker: 0 } })
    await publisher.ask.publish('news', 'b-actor', 200)
    for (let seq = 1; seq <= 100; seq++) a.topic<News>('news').publish({ seq, from: 'a-main' })
    await until(async () => {
      const got = [...(await Promise.all(readers.map((r) => r.ask.received()))), onA]
      return got.every((news) => seqs(news, 'b-actor').length === 200 && seqs(news, 'a-main').length === 100)
    })
    for (const got of [...(await Promise.all(readers.map((r) => r.ask.received()))), onA]) {
      expect(seqs(got, 'b-actor')).toEqual(upTo(200))
      expect(seqs(got, 'a-main')).toEqual(upTo(100))
    }

    // A ref in a message, published on b, used on a.
    const counter = await b.spawn(Counter, { placement: { worker: 0 } })
    const refs: ActorRef<Counter>[] = []
    const refListener = a.topic<{ counter: ActorRef<Counter> }>('refs').subscribe(({ counter: ref }) => refs.push(ref))
    await until(async () => {
      b.topic<{ counter: ActorRef<Counter> }>('refs').publish({ counter })
      return refs.length > 0
    })
    refs[0]!.tell.inc(5)
    await until(async () => (await counter.ask.get()) >= 5)

    // a's subscribers leave: a stops following the topic, and b's publishes still reach b's own.
    listening.unsubscribe()
    refListener.unsubscribe()
    await readers[0]!.ask.leave()
    const before = (await readers[1]!.ask.received()).length
    for (let seq = 1; seq <= 10; seq++) b.topic<News>('news').publish({ seq, from: 'late' })
    await until(async () => seqs(await readers[1]!.ask.received(), 'late').length === 10)
    expect((await readers[1]!.ask.received()).length).toBe(before + 10)
    expect(seqs(await readers[0]!.ask.received(), 'late')).toEqual([])
    expect(seqs(onA, 'late')).toEqual([])
  })
})
