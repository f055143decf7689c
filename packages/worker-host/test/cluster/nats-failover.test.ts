import { expect, it } from 'vitest'
import { TroupeError, type SystemEvent } from '../../src/index.js'
import { Ledger } from '../fixtures/cluster-entities.js'
import { localEntityNode, startEntityNode, waitForMembers } from '../helpers/entity-nodes.js'
import { describeWithNats, natsClusterForTest } from '../helpers/nats.js'

// Generous against a 2-core machine running three servers and two nodes: a reconnect to another
// server (250 ms apart) must fit well inside it, so that no node is declared down.
const TIMES = { heartbeatMs: 250, downAfterMs: 4000 }
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
    const views = await Promise.all(refs.map((ref) => ref.ask.get()))
    for (const [i, view] of views.entries()) {
      expect(view.total).toBeGreaterThanOrEqual(acked[i]!)
      expect(view.total).toBeLessThanOrEqual(attempted[i]!)
    }
    await b.process.kill()
  })
})
