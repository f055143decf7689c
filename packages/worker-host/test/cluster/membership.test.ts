import { expect, it } from 'vitest'
import { ActorSystem, ClusterError, InvalidOptionError, type SystemEvent } from '../../src/index.js'
import { freePort } from '../../src/testkit/nats-server.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { NodeProcess } from '../helpers/node-process.js'
import { afterTest, FIXTURE_ACTORS } from '../helpers/system.js'

const HEARTBEAT_MS = 100
const DOWN_AFTER_MS = 600

type NodeEvent = Extract<SystemEvent, { type: 'node-up' | 'node-down' }>
type Line = Record<string, unknown>
const eventLine = (type: NodeEvent['type'], node: string, extra: (event: NodeEvent) => boolean = () => true) => (line: Line) => {
  const event = line['event'] as NodeEvent | undefined
  return event?.type === type && event.node === node && extra(event)
}

function startNode(url: string, node: string): NodeProcess {
  return new NodeProcess('cluster-node.ts', [url, node, String(HEARTBEAT_MS), String(DOWN_AFTER_MS)])
}

async function members(node: NodeProcess): Promise<{ names: string[]; state: string }> {
  const from = node.lines.length
  node.send('members')
  const line = await node.next<{ members: { node: string }[]; state: string }>((l) => 'members' in l, 10_000, from)
  return { names: line.members.map((m) => m.node).sort(), state: line.state }
}

/** Starts this test's own node (main thread plus one worker), shut down after the test. */
async function localNode(url: string, node: string, events: SystemEvent[] = []): Promise<ActorSystem> {
  const system = await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS, cluster: { servers: url, node, heartbeatMs: HEARTBEAT_MS, downAfterMs: DOWN_AFTER_MS } })
  system.events.subscribe((event) => events.push(event))
  afterTest(() => system.shutdown())
  return system
}

describeWithNats('cluster membership over NATS (real nats-server, node processes)', () => {
  it('three node processes see each other; a SIGKILLed node is declared down by the others; its restart joins with a new id', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const [a, b, c] = ['a', 'b', 'c'].map((name) => startNode(server.url, name)) as [NodeProcess, NodeProcess, NodeProcess]
    for (const node of [a, b, c]) await node.next((l) => 'ready' in l)
    // Members present at a node's join are in members() from the start; later joiners come as node-up.
    for (const node of [a, b, c]) await expect.poll(() => members(node), { timeout: 10_000 }).toEqual({ names: ['a', 'b', 'c'], state: 'up' })
    const cId = (c.lines.find((l) => 'ready' in l)!['ready'] as { id: number }).id

    await c.kill()
    for (const node of [a, b]) {
      const down = await node.next<{ event: NodeEvent }>(eventLine('node-down', 'c'), 10_000)
      expect(down.event).toMatchObject({ id: cId, self: false, reason: expect.stringMatching(/no heartbeat for \d+ ms/) })
      expect((await members(node)).names).toEqual(['a', 'b'])
    }

    const c2 = startNode(server.url, 'c')
    const ready = await c2.next<{ ready: { id: number } }>((l) => 'ready' in l)
    expect(ready.ready.id).not.toBe(cId)
    for (const node of [a, b]) await node.next(eventLine('node-up', 'c', (e) => e.id === ready.ready.id))
    // It learnt the others while joining, from their answers to its hello.
    expect((await members(c2)).names).toEqual(['a', 'b', 'c'])
  })

  it('a node that shuts down leaves at once: the others see node-down "left the cluster" without waiting for downAfterMs', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const events: SystemEvent[] = []
    const local = await localNode(server.url, 'local', events)
    const remote = startNode(server.url, 'remote')
    await remote.next((l) => 'ready' in l)
    expect((await members(remote)).names).toEqual(['local', 'remote'])
    await expect.poll(() => events.some((e) => e.type === 'node-up' && e.node === 'remote')).toBe(true)
    remote.send('shutdown')
    await remote.next((l) => 'stopped' in l)
    await expect.poll(() => events.find((e) => e.type === 'node-down' && e.node === 'remote')).toMatchObject({ reason: 'left the cluster', self: false })
    expect(local.cluster!.members().map((m) => m.node)).toEqual(['local'])
    expect(await remote.exited).toEqual({ code: 0, signal: null })
  })

  it('a second process with a live node\'s name is refused with ClusterError and leaves the first one up', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const events: SystemEvent[] = []
    const local = await localNode(server.url, 'same', events)
    const twin = startNode(server.url, 'same')
    const failed = await twin.next<{ error: { name: string; message: string } }>((l) => 'error' in l)
    expect(failed.error.name).toBe('ClusterError')
    expect(failed.error.message).toMatch(/another live node is named same/)
    expect((await twin.exited).code).toBe(1)
    expect(local.cluster!.state).toBe('up')
    expect(events.filter((e) => e.type === 'node-down')).toEqual([])
  })

  it('a node frozen past downAfterMs (SIGSTOP) is declared down; when it runs again it learns it is down and stays out', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const events: SystemEvent[] = []
    const local = await localNode(server.url, 'watcher', events)
    const frozen = startNode(server.url, 'frozen')
    await frozen.next((l) => 'ready' in l)
    await expect.poll(() => local.cluster!.members().map((m) => m.node)).toEqual(['watcher', 'frozen'])
    frozen.signal('SIGSTOP')
    await expect.poll(() => events.find((e) => e.type === 'node-down' && e.node === 'frozen'), { timeout: 10_000 }).toMatchObject({ self: false })
    frozen.signal('SIGCONT')
    const selfDown = await frozen.next<{ event: NodeEvent }>(eventLine('node-down', 'frozen'), 10_000)
    expect(selfDown.event).toMatchObject({ self: true })
    expect(await members(frozen)).toEqual({ names: [], state: 'down' })
    // Still quarantined: the watcher never counts it again.
    expect(local.cluster!.members().map((m) => m.node)).toEqual(['watcher'])
    expect(events.filter((e) => e.type === 'node-up' && e.node === 'frozen')).toHaveLength(1)
  })

  it('a node cut off from NATS (its server killed) declares itself down, three heartbeats before the others could', async () => {
    const server = await natsServerForTest({ jetstream: false })
    const events: SystemEvent[] = []
    const local = await localNode(server.url, 'alone', events)
    await server.kill()
    await expect.poll(() => events.find((e) => e.type === 'node-down'), { timeout: 10_000 }).toMatchObject({ node: 'alone', self: true, reason: expect.stringMatching(/cut off from NATS/) })
    expect(local.cluster!.state).toBe('down')
    expect(local.cluster!.members()).toEqual([])
  })

  it('start rejects with ClusterError naming the servers when NATS cannot be reached in connectTimeoutMs', async () => {
    const port = await freePort()
    const started = ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS, cluster: { servers: `nats://127.0.0.1:${port}`, node: 'x', connectTimeoutMs: 500 } })
    await expect(started).rejects.toThrow(ClusterError)
    await expect(started).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}.*cluster\\.connectTimeoutMs`))
  })
})

it('cluster options are validated, each error naming its option', async () => {
  const start = (cluster: unknown) => ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS, cluster: cluster as never })
  const cases: [unknown, string][] = [
    ['nats://x:1', 'cluster'],
    [{ node: 'a' }, 'cluster.servers'],
    [{ servers: [], node: 'a' }, 'cluster.servers'],
    [{ servers: ['nats://127.0.0.1:4222', 'not a url'], node: 'a' }, 'cluster.servers[1]'],
    [{ servers: 'nats://127.0.0.1:4222' }, 'cluster.node'],
    [{ servers: 'nats://127.0.0.1:4222', node: 'a.b' }, 'cluster.node'],
    [{ servers: 'nats://127.0.0.1:4222', node: 'a', name: '' }, 'cluster.name'],
    [{ servers: 'nats://127.0.0.1:4222', node: 'a', heartbeatMs: 0 }, 'cluster.heartbeatMs'],
    [{ servers: 'nats://127.0.0.1:4222', node: 'a', heartbeatMs: 100, downAfterMs: 200 }, 'cluster.downAfterMs'],
    [{ servers: 'nats://127.0.0.1:4222', node: 'a', connectTimeoutMs: -1 }, 'cluster.connectTimeoutMs'],
    [{ servers: 'nats://127.0.0.1:4222', node: 'a', nodes: 3 }, 'cluster.nodes'],
  ]
  for (const [cluster, option] of cases) {
    const error = await start(cluster).then(() => undefined, (e: unknown) => e)
    expect(error, JSON.stringify(cluster)).toBeInstanceOf(InvalidOptionError)
    expect((error as InvalidOptionError).message, JSON.stringify(cluster)).toContain(option)
  }
})

it('a system without the cluster option has no cluster', async () => {
  const system = await ActorSystem.start({ workers: 1, actors: FIXTURE_ACTORS })
  afterTest(() => system.shutdown())
  expect(system.cluster).toBeUndefined()
})
