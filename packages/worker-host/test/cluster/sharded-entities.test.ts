import { connect } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import { Kvm } from '@nats-io/kv'
import { expect, it } from 'vitest'
import { ActorSystem, ClusterError, InvalidOptionError, NodeDownError, type ActorRef, type SystemEvent } from '../../src/index.js'
import { decodeLease, leasesBucket } from '../../src/protocol/cluster-wire.js'
import { encodeKeyText } from '../../src/persistence/store/nats-keys.js'
import { Ledger, type LedgerView } from '../fixtures/cluster-entities.js'
import { describeWithNats, natsServerForTest } from '../helpers/nats.js'
import { localEntityNode, startEntityNode as startNode, waitForMembers, type EntityNode } from '../helpers/entity-nodes.js'
import { fixture } from '../helpers/system.js'

const HEARTBEAT_MS = 100
const DOWN_AFTER_MS = 600
const KEYS = Array.from({ length: 30 }, (_, i) => `k${i}`)

const TIMES = { heartbeatMs: HEARTBEAT_MS, downAfterMs: DOWN_AFTER_MS }
const startEntityNode = (url: string, node: string, bucket: string): Promise<EntityNode> => startNode([url], node, bucket, TIMES)
const localNode = (url: string, bucket: string, events: SystemEvent[] = []): Promise<ActorSystem> => localEntityNode([url], bucket, TIMES, events)

/** Every revision of every lease, oldest first: [key, revision, holder node id or undefined for a release]. */
async function leaseHistory(url: string, bucket: string): Promise<Map<string, { revision: number; holder: number | undefined }[]>> {
  const nc = await connect({ servers: url })
  try {
    const kv = await new Kvm(jetstream(nc)).open(leasesBucket(bucket))
    const history = new Map<string, { revision: number; holder: number | undefined }[]>()
    for (const key of KEYS) {
      const entries: { revision: number; holder: number | undefined }[] = []
      for await (const entry of await kv.history({ key: encodeKeyText(`ledger/${key}`) })) {
        entries.push({ revision: entry.revision, holder: entry.operation === 'PUT' ? decodeLease(entry.value)?.[0] : undefined })
      }
      history.set(key, entries.sort((x, y) => x.revision - y.revision))
    }
    return history
  } finally {
    await nc.close()
  }
}

describeWithNats('sharded entities over a cluster (real nats-server, NATS store, node processes)', () => {
  it('places each key on one node, the same from every node; SIGKILL a node during a stream of asks: every ask settles, every acknowledged add survives, and its entities answer from the other nodes', async () => {
    const server = await natsServerForTest()
    const bucket = 'sharded-kill'
    const [b, c] = await Promise.all([startEntityNode(server.url, 'b', bucket), startEntityNode(server.url, 'c', bucket)])
    const events: SystemEvent[] = []
    const system = await localNode(server.url, bucket, events)
    await waitForMembers(system, 3)
    const pids = new Map([[system.cluster!.id, process.pid], [b.id, b.pid], [c.id, c.pid]])
    const refs = new Map(KEYS.map((key) => [key, system.entity(Ledger, key)] as const))

    // Each key answers from the node its ref addresses, and every node holds some.
    const home = new Map<string, number>()
    for (const [key, ref] of refs) {
      const view = await ref.ask.add(1)
      expect(view.total).toBe(1)
      expect(view.pid).toBe(pids.get(ref.address.node))
      home.set(key, view.pid)
    }
    expect(new Set(home.values())).toEqual(new Set([process.pid, b.pid, c.pid]))
    const onB = KEYS.filter((key) => home.get(key) === b.pid)

    // A stream of asks to b's entities, one in flight per key; b is killed in the middle of it.
    const acked = new Map(KEYS.map((key) => [key, 1]))
    const attempted = new Map(KEYS.map((key) => [key, 1]))
    const failures: unknown[] = []
    let killed = false
    let afterDown = 0
    const stream = onB.map(async (key) => {
      const ref: ActorRef<Ledger> = refs.get(key)!
      for (let i = 0; i < 400 && afterDown < 20 * onB.length; i++) {
        attempted.set(key, attempted.get(key)! + 1)
        try {
          const view = await ref.ask.add(1)
          acked.set(key, acked.get(key)! + 1)
          if (killed && view.pid !== b.pid) afterDown++
        } catch (error) {
          failures.push(error)
        }
      }
    })
    await expect.poll(() => [...acked.values()].reduce((x, y) => x + y) - KEYS.length, { timeout: 10_000 }).toBeGreaterThan(10 * onB.length)
    await b.process.kill()
    killed = true
    await Promise.all(stream)

    // Every ask settled: answered, or refused with a typed error saying the node is gone.
    for (const failure of failures) expect(failure).toBeInstanceOf(NodeDownError)
    expect(events.some((e) => e.type === 'node-down' && e.id === b.id)).toBe(true)
    // The entities came back on a and c, with every acknowledged add (an add whose answer was lost
    // with b may have been stored too: at most the attempts).
    for (const key of KEYS) {
      const view = await refs.get(key)!.ask.get()
      expect([process.pid, c.pid]).toContain(view.pid)
      expect(view.total).toBeGreaterThanOrEqual(acked.get(key)!)
      expect(view.total).toBeLessThanOrEqual(attempted.get(key)!)
    }

    // The leases: a holder was only ever replaced without a release when it was b, the node killed.
    const history = await leaseHistory(server.url, bucket)
    for (const key of KEYS) {
      const entries = history.get(key)!
      expect(entries.length).toBeGreaterThan(0)
      for (let i = 1; i < entries.length; i++) {
        const before = entries[i - 1]!.holder
        if (before !== undefined && entries[i]!.holder !== undefined && entries[i]!.holder !== before) expect(before).toBe(b.id)
      }
    }
    for (const key of onB) expect(history.get(key)!.at(-1)!.holder).not.toBe(b.id)
  })

  it('hands entities over to a node that joins, without losing a message: every add sent during the join is counted once, and the keys that hash to the new node answer from it', async () => {
    const server = await natsServerForTest()
    const bucket = 'sharded-join'
    const b = await startEntityNode(server.url, 'b', bucket)
    const system = await localNode(server.url, bucket)
    await waitForMembers(system, 2)
    const refs = KEYS.map((key) => system.entity(Ledger, key))

    let sent = 0
    let joined = false
    let afterJoin = 0
    const answered: LedgerView[][] = refs.map(() => [])
    const stream = refs.map(async (ref, i) => {
      while (!joined || afterJoin < 10 * KEYS.length) {
        sent++
        answered[i]!.push(await ref.ask.add(1))
        if (joined) afterJoin++
      }
    })
    await expect.poll(() => sent, { timeout: 10_000 }).toBeGreaterThan(5 * KEYS.length)
    const c = await startEntityNode(server.url, 'c', bucket)
    await waitForMembers(system, 3)
    joined = true
    await Promise.all(stream)

    // No add lost, none counted twice: each key's answers count 1, 2, 3, … in order.
    for (const views of answered) expect(views.map((v) => v.total)).toEqual(views.map((_, i) => i + 1))
    // Keys that hash to c live there now; the others stayed where they were.
    const pids = new Map([[system.cluster!.id, process.pid], [b.id, b.pid], [c.id, c.pid]])
    const final = await Promise.all(refs.map((ref) => ref.ask.get()))
    for (const [i, ref] of refs.entries()) expect(final[i]!.pid).toBe(pids.get(ref.address.node))
    expect(final.some((view) => view.pid === c.pid)).toBe(true)
    await c.process.kill()
    await b.process.kill()
  })

  it('is refused with a typed error naming the option when the store is not shared; a node that is down refuses to activate', async () => {
    await expect(
      ActorSystem.start({ workers: 1, actors: [fixture('cluster-entities.ts')], persistence: { store: 'memory' }, cluster: { servers: 'nats://127.0.0.1:1', node: 'x', entities: 'sharded' } }),
    ).rejects.toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'cluster.entities' }))
    await expect(
      // @ts-expect-error: not one of the values
      ActorSystem.start({ workers: 1, actors: [fixture('cluster-entities.ts')], cluster: { servers: 'nats://127.0.0.1:1', node: 'x', entities: 'everywhere' } }),
    ).rejects.toThrow(InvalidOptionError)

    const server = await natsServerForTest()
    const system = await localNode(server.url, 'sharded-down')
    expect((await system.entity(Ledger, 'solo').ask.add(2)).total).toBe(2)
    // Cut off: the server goes away, and after downAfterMs the node declares itself down.
    await server.kill()
    await expect.poll(() => system.cluster!.state, { timeout: 10_000 }).toBe('down')
    await expect(system.entity(Ledger, 'other').ask.add(1)).rejects.toThrow(ClusterError)
  })
})
