import { expect, it } from 'vitest'
import { ActorNotAllowedError, ActorStoppedError, ActorSystem, ClusterError, InvalidOptionError, NodeDownError, type ActorRef, type SystemEvent } from '../../src/index.js'
import { Counter } from '../fixtures/counter.js'
import { Collector, Quitter, Relay, Tally, Watcher } from '../fixtures/cluster-actors.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { NodeProcess } from '../helpers/node-process.js'
import { afterTest, fixture, FIXTURE_ACTORS } from '../helpers/system.js'

const HEARTBEAT_MS = 100
const DOWN_AFTER_MS = 600

/** A node process with the named actors of cluster-actors.ts; resolves with its id once it is up. */
async function startActorNode(url: string, node: string): Promise<{ process: NodeProcess; id: number }> {
  const child = new NodeProcess('cluster-node.ts', [url, node, String(HEARTBEAT_MS), String(DOWN_AFTER_MS), 'actors'])
  const ready = await child.next<{ ready: { id: number } }>((l) => 'ready' in l)
  return { process: child, id: ready.ready.id }
}

async function localNode(url: string, events: SystemEvent[] = []): Promise<ActorSystem> {
  const system = await ActorSystem.start({
    workers: 1,
    handlerHangMs: 10_000, // a loaded CI machine is not a hang (see test/helpers/system.ts)
    actors: [...FIXTURE_ACTORS, fixture('cluster-actors.ts')],
    askTimeoutMs: 10_000,
    cluster: { servers: url, node: 'local', heartbeatMs: HEARTBEAT_MS, downAfterMs: DOWN_AFTER_MS },
  })
  system.events.subscribe((event) => events.push(event))
  afterTest(() => system.shutdown())
  return system
}

async function lookup<A>(system: ActorSystem, name: string, node: string): Promise<ActorRef<A>> {
  // The node may not be a member yet as seen from here: its first heartbeat is on its way.
  await expect.poll(() => system.cluster!.members().some((m) => m.node === node), { timeout: 10_000 }).toBe(true)
  const ref = await system.lookup<A>(name, { node })
  if (!ref) throw new Error(`no ${name} on ${node}`)
  return ref
}

describeWithNats('messages between nodes over NATS (real nats-server, node processes)', () => {
  it('tells and asks reach an actor of another node, in order; refs in messages work on the node that receives them, across three nodes', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const [b, c] = await Promise.all([startActorNode(server.url, 'b'), startActorNode(server.url, 'c')])
    const system = await localNode(server.url)
    const tallyB = await lookup<Tally>(system, 'tally', 'b')
    expect(tallyB.address).toMatchObject({ node: b.id, thread: 1 })

    // Asks, and tells from main in order, with the ask after them answered after them.
    expect(await tallyB.ask.add(5)).toBe(5)
    for (let seq = 0; seq < 2000; seq++) tallyB.tell.push(seq)
    expect(await tallyB.ask.pushes()).toEqual({ count: 2000, inOrder: true })

    // A ref of node c, sent in a message to node b, used there: b's relay asks c's tally.
    const tallyC = await lookup<Tally>(system, 'tally', 'c')
    const relayB = await lookup<Relay>(system, 'relay', 'b')
    expect(await relayB.ask.relay(tallyC, 3)).toBe(3)
    expect(await relayB.ask.relay(tallyC, 4)).toBe(7)
    expect(await tallyC.ask.total()).toBe(7)

    // A ref of this node, sent to b, used by b to tell back here (from b's main thread to our worker).
    const collector = await system.spawn(Collector, { placement: { worker: 0 } })
    relayB.tell.callBack(collector, 100, 50)
    const seen = await collector.ask.waitFor(50)
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i))

    // ctx.sender across nodes: the ref b sees names this node, and b answers through it.
    const sender = await system.spawn(Collector, { placement: 'main' })
    const where = await tallyB.ask.whoAsks()
    expect(where).toBeUndefined() // an ask from outside any actor has no sender
    sender.tell.pingThrough(relayB, 42)
    expect(await sender.ask.waitFor(1)).toEqual([42])
    expect(c.id).not.toBe(b.id)
  })

  it('an ask in flight to a node that is SIGKILLed rejects with NodeDownError once the node is declared down, and later asks fail at once', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const b = await startActorNode(server.url, 'b')
    const events: SystemEvent[] = []
    const system = await localNode(server.url, events)
    const tallyB = await lookup<Tally>(system, 'tally', 'b')
    expect(await tallyB.ask.add(1)).toBe(1)
    const inFlight = tallyB.with({ timeoutMs: 30_000 }).ask.stall(60_000)
    const settled = inFlight.then(() => 'resolved', (error: unknown) => error)
    await b.process.kill()
    const error = await settled
    expect(error).toBeInstanceOf(NodeDownError)
    expect((error as NodeDownError).node).toBe('b')
    expect(events.some((e) => e.type === 'node-down' && e.node === 'b')).toBe(true)
    await expect(tallyB.ask.add(1)).rejects.toThrow(NodeDownError)
    // A tell to it is a dead letter with reason node-down, not a silent loss.
    const deadLetters: string[] = []
    system.deadLetters.subscribe((letter) => deadLetters.push(letter.reason))
    tallyB.tell.add(1)
    await expect.poll(() => deadLetters).toContain('node-down')
  })

  it('system.spawn with { node } spawns a top-level actor on that node, under its allow-list', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const b = await startActorNode(server.url, 'b')
    const system = await localNode(server.url)
    await lookup<Tally>(system, 'tally', 'b')
    const remote = await system.spawn(Tally, { placement: { node: 'b' }, name: 'spawned-from-local' })
    expect(remote.address.node).toBe(b.id)
    expect(await remote.ask.add(2)).toBe(2)
    expect((await remote.ask.whereAmI()).node).toBe(b.id)
    // Registered there under its name: b's lookup finds it.
    const found = await system.lookup<Tally>('spawned-from-local', { node: 'b' })
    expect(found?.address).toEqual(remote.address)
    expect(await found!.ask.total()).toBe(2)
    // system.stop of it is carried out by b: it stops there, and asks to it fail after.
    await system.stop(remote)
    await expect(remote.ask.total()).rejects.toThrow(ActorStoppedError)
    expect(await system.lookup('spawned-from-local', { node: 'b' })).toBeUndefined()
    // counter.ts is on this node's allow-list, not on b's: b refuses it.
    await expect(system.spawn(Counter, { placement: { node: 'b' } })).rejects.toThrow(ActorNotAllowedError)
    await expect(system.spawn(Tally, { placement: { node: 'nowhere' } })).rejects.toThrow(/no live node is named nowhere/)
    await expect(system.spawn(Tally, { placement: { node: 42 as unknown as string } })).rejects.toThrow(InvalidOptionError)
  })

  it('death watch across nodes: a watched actor that stops there, and one whose node is SIGKILLed, are reported terminated here', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const b = await startActorNode(server.url, 'b')
    const system = await localNode(server.url)
    const tallyB = await lookup<Tally>(system, 'tally', 'b')
    const quitter = await system.spawn(Quitter, { placement: { node: 'b' } })
    const watcher = await system.spawn(Watcher, { placement: { worker: 0 } })
    await watcher.ask.watch(quitter as unknown as ActorRef<Tally>)
    await watcher.ask.watch(tallyB)
    expect(await quitter.ask.ping()).toBe('pong')
    quitter.tell.quit()
    await expect.poll(() => watcher.ask.ended(), { timeout: 10_000 }).toEqual([quitter.address])
    // The node goes: what was watched there is terminated, once.
    await b.process.kill()
    await expect.poll(() => watcher.ask.ended(), { timeout: 10_000 }).toEqual([quitter.address, tallyB.address])
    // Watching an actor of a node that is down reports it at once.
    const late = await system.spawn(Watcher, { placement: 'main' })
    await late.ask.watch(tallyB)
    await expect.poll(() => late.ask.ended()).toEqual([tallyB.address])
    // And unwatching one there is done at once, without an error.
    await expect(watcher.ask.unwatch(tallyB)).resolves.toBeUndefined()
  })

  it('lookup on a node that is not a member rejects with ClusterError; an unknown name is undefined', async () => {
    const server = await natsServerForTest({ jetstream: false })
    await startActorNode(server.url, 'b')
    const system = await localNode(server.url)
    await lookup<Tally>(system, 'tally', 'b')
    expect(await system.lookup('nobody', { node: 'b' })).toBeUndefined()
    // From inside actors too (on a worker and on main: the worker's lookup goes through main).
    for (const placement of [{ worker: 0 }, 'main'] as const) {
      const relay = await system.spawn(Relay, { placement })
      expect(await relay.ask.lookupAndAdd('tally', 'b', 4)).toBe(placement === 'main' ? 8 : 4)
      await expect(relay.ask.lookupAndAdd('tally', 'zz', 1)).rejects.toThrow(ClusterError)
    }
    await expect(system.lookup('tally', { node: 'zz' })).rejects.toThrow(ClusterError)
    await expect(system.lookup('tally', { node: 'zz' })).rejects.toThrow(/no live node is named zz/)
  })
})

it('lookup with a node on a system without a cluster rejects with ClusterError', async () => {
  const system = await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS })
  afterTest(() => system.shutdown())
  await expect(system.lookup('x', { node: 'b' })).rejects.toThrow(ClusterError)
})
