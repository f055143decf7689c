import { expect, it } from 'vitest'
import { connect } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import { Kvm } from '@nats-io/kv'
import { TroupeError, type SystemEvent } from '../../src/index.js'
import { encodeKeyText } from '../../src/persistence/store/nats-keys.js'
import { decodeLease, leasesBucket } from '../../src/protocol/cluster-wire.js'
import { Ledger } from '../fixtures/cluster-entities.js'
import { localEntityNode, startEntityNode, waitForMembers } from '../helpers/entity-nodes.js'
import { describeWithNats, natsClusterForTest } from '../helpers/nats.js'

// Generous against a 2-core machine running three servers and two nodes: a reconnect to another
// server (250 ms apart) must fit well inside it, so that no node is declared down.
const TIMES = { heartbeatMs: 250, downAfterMs: 4000 }

/**
 * `call`, made again while it fails with an error `retry` accepts (by default any): a JetStream
 * stream whose leader died, or that was just made on a loaded machine, answers only once its
 * servers have elected a new one.
 */
async function untilRead<T>(call: () => Promise<T>, retry: (error: unknown) => boolean = () => true, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await call()
    } catch (error) {
      if (!retry(error) || Date.now() > deadline) throw error
    }
  }
}

/** An ask, asked again while it fails with a typed error (see `untilRead`). */
const settled = <T>(ask: () => Promise<T>): Promise<T> => untilRead(ask, (error) => error instanceof TroupeError)

/** A guard against a hung run: three servers electing stream leaders on a loaded 2-core machine take their time. */
const TEST_TIMEOUT_MS = 180_000
const KEYS = Array.from({ length: 12 }, (_, i) => `f${i}`)

describeWithNats('a cluster of three nats-servers: one is SIGKILLed (real servers, node processes)', () => {
  it('the nodes reconnect to the others, nobody is declared down, and every entity keeps its acknowledged state and answers (store and leases with 3 replicas)', async () => {
    const servers = await natsClusterForTest(3)
    const urls = servers.map((s) => s.url)
    const b = await startEntityNode(urls, 'b', 'failover', TIMES, 3)
    const events: SystemEvent[] = []
    const system = await localEntityNode(urls, 'failover', TIMES, events, 3)
    await waitForMembers(system, 2)
    const refs = KEYS.map((key) => system.entity(Ledger, key).with({ timeoutMs: 3000 }))

    // Asks keep flowing while a server dies; one whose message was on the dead server's
    // connection may time out (NATS is at most once), or find the store or the leases without a
    // stream leader for a moment, and is asked again.
    const acked = KEYS.map(() => 0)
    const attempted = KEYS.map(() => 0)
    let serverKilled = false
    let afterKill = 0
    const stream = refs.map(async (ref, i) => {
      while (!serverKilled || afterKill < 10 * KEYS.length) {
        attempted[i]!++
        try {
          await ref.ask.add(1)
          acked[i]!++
          if (serverKilled) afterKill++
        } catch (error) {
          // Typed, whichever part noticed first: the ask's deadline, the store or the lease (while
          // JetStream elects new leaders for the streams the dead server led).
          expect(error).toBeInstanceOf(TroupeError)
        }
      }
    })
    await expect.poll(() => acked.reduce((x, y) => x + y), { timeout: 15_000 }).toBeGreaterThan(5 * KEYS.length)
    await servers[0]!.kill()
    serverKilled = true
    await Promise.all(stream)

    expect(events.filter((e) => e.type === 'node-down')).toEqual([])
    expect(system.cluster!.members().map((m) => m.node).sort()).toEqual(['a', 'b'])
    const views = await Promise.all(refs.map((ref) => settled(() => ref.ask.get())))
    for (const [i, view] of views.entries()) {
      expect(view.total).toBeGreaterThanOrEqual(acked[i]!)
      expect(view.total).toBeLessThanOrEqual(attempted[i]!)
    }
    await b.process.kill()
  }, TEST_TIMEOUT_MS)

  it('partition: a node cut off from NATS stops its entities before any other node takes their leases over (checked through the lease revisions), and they come back on the other node with their state', async () => {
    const servers = await natsClusterForTest(3)
    // The cut-off node gives up three heartbeats before the others may judge it; a 300 ms
    // heartbeat leaves its timers 600 ms of slack on a loaded machine (a node whose timers do not
    // run cannot stop itself: the store's fencing is the guarantee then, see cluster.md).
    const times = { heartbeatMs: 300, downAfterMs: 3000 }
    // Node b reaches NATS only through the third server; this node through the other two.
    const b = await startEntityNode([servers[2]!.url], 'b', 'partition', times, 3)
    const events: SystemEvent[] = []
    const system = await localEntityNode([servers[0]!.url, servers[1]!.url], 'partition', times, events, 3)
    await waitForMembers(system, 2)
    const refs = KEYS.map((key) => system.entity(Ledger, key))
    const first = await Promise.all(refs.map((ref) => settled(() => ref.ask.add(1))))
    const onB = KEYS.filter((_, i) => first[i]!.pid === b.pid)
    expect(onB.length).toBeGreaterThan(0)

    // The cut: b's only server dies; b stays up, without NATS.
    await servers[2]!.kill()
    const selfDown = await b.process.next<{ event: SystemEvent & { self: boolean }; at: number }>((l) => (l['event'] as { type?: string; self?: boolean } | undefined)?.type === 'node-down' && (l['event'] as { self: boolean }).self, 20_000)
    await expect.poll(() => events.some((e) => e.type === 'node-down' && e.id === b.id), { timeout: 20_000 }).toBe(true)

    // b's entities come back here, with their state.
    for (const key of onB) {
      const view = await settled(() => system.entity(Ledger, key).ask.add(1))
      expect(view).toEqual({ total: first[KEYS.indexOf(key)]!.total + 1, pid: process.pid })
    }

    // Every lease of b's keys: b's take, then this node's take-over (b could not release it),
    // written after b had stopped acting as a member: never two holders acting at once.
    const nc = await connect({ servers: [servers[0]!.url, servers[1]!.url] })
    try {
      const kv = await untilRead(() => new Kvm(jetstream(nc, { timeout: 10_000 })).open(leasesBucket('partition')))
      for (const key of onB) {
        // Read again while the bucket's stream, which lost a replica with the server, has no leader.
        const history = await untilRead(async () => {
          const entries: { holder: number | undefined; created: number }[] = []
          for await (const entry of await kv.history({ key: encodeKeyText(`ledger/${key}`) })) {
            entries.push({ holder: entry.operation === 'PUT' ? decodeLease(entry.value)?.[0] : undefined, created: entry.created.getTime() })
          }
          return entries
        })
        history.sort((x, y) => x.created - y.created)
        // Then only this node's takes and releases (an activation that found the store without
        // a stream leader for a moment is abandoned, releasing its lease, and taken again).
        expect(history[0]!.holder).toBe(b.id)
        expect(history[1]!.holder).toBe(system.cluster!.id)
        expect(history[1]!.created).toBeGreaterThan(selfDown.at)
        for (const later of history.slice(2)) expect([system.cluster!.id, undefined]).toContain(later.holder)
      }
    } finally {
      await nc.close()
    }
    await b.process.kill()
  }, TEST_TIMEOUT_MS)
})
