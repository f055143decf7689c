import { describe, expect, it } from 'vitest'
import type { ActorRef, ActorSystem, PoolRouter, RoutingStrategy } from '../src/index.js'
import { Client, Routee, Sink } from './fixtures/routing.js'
import { fixture, startSystem } from './helpers/system.js'

/**
 * One suite, run against every routing strategy: distribution, replies and senders, ordering
 * per key, a routee dying, resizing. Routees report each message to a sink on the main thread,
 * so the record survives routees that stop.
 */
const STRATEGIES: readonly RoutingStrategy[] = ['round-robin', 'random', 'broadcast', 'consistent-hash', 'smallest-mailbox', 'balancing']

interface Setup {
  system: ActorSystem
  sink: ActorRef<Sink>
  router: PoolRouter<Routee>
}

async function setup(strategy: RoutingStrategy, size = 3): Promise<Setup> {
  const system = await startSystem({ actors: [fixture('routing.ts')] })
  const sink = await system.spawn(Sink, { placement: 'main' })
  const router = await system.router(Routee, { strategy, size, routee: { args: [sink] } })
  return { system, sink, router }
}

/** Sends `count` jobs with keys k0..k9 and waits until the sink has `expected` reports. */
async function sendJobs(setup: Setup, from: number, count: number, expected: number): Promise<Array<[number, string, number]>> {
  for (let seq = from; seq < from + count; seq++) setup.router.tell.job(`k${seq % 10}`, seq)
  await expect.poll(() => setup.sink.ask.count(), { timeout: 10_000 }).toBe(expected)
  return setup.sink.ask.seen()
}

const ids = (refs: ActorRef[]): number[] => refs.map((ref) => ref.id)
const byRoutee = (seen: Array<[number, string, number]>): Map<number, number[]> => {
  const map = new Map<number, number[]>()
  for (const [routee, , seq] of seen) map.set(routee, [...(map.get(routee) ?? []), seq])
  return map
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i)

describe.each(STRATEGIES)('router conformance: %s', (strategy) => {
  const broadcast = strategy === 'broadcast'

  it('delivers every message exactly once (broadcast: once to every routee)', async () => {
    const s = await setup(strategy)
    const routees = ids(await s.router.routees())
    expect(routees).toHaveLength(3)
    const seen = await sendJobs(s, 0, 300, broadcast ? 900 : 300)
    const perRoutee = byRoutee(seen)
    expect([...perRoutee.keys()].every((id) => routees.includes(id))).toBe(true)
    if (broadcast) {
      for (const id of routees) expect(perRoutee.get(id)).toEqual(range(0, 300)) // each in send order
    } else {
      expect(seen.map(([, , seq]) => seq).sort((a, b) => a - b)).toEqual(range(0, 300))
    }
    if (strategy === 'round-robin') {
      routees.forEach((id, i) => expect(perRoutee.get(id)).toEqual(range(0, 300).filter((seq) => seq % 3 === i)))
    }
    if (strategy === 'random') for (const id of routees) expect(perRoutee.get(id)?.length).toBeGreaterThan(0)
    if (strategy === 'consistent-hash') {
      const owner = new Map<string, number>()
      for (const [routee, key] of seen) expect(owner.get(key) ?? owner.set(key, routee).get(key)).toBe(routee)
      expect(new Set(owner.values()).size).toBeGreaterThan(1)
    }
  })

  it('keeps the order of messages with the same key on consistent-hash (and per routee on broadcast)', async () => {
    const s = await setup(strategy)
    const seen = await sendJobs(s, 0, 400, broadcast ? 1200 : 400)
    if (strategy === 'consistent-hash' || broadcast) {
      const perKey = new Map<string, number[]>()
      for (const [routee, key, seq] of seen) perKey.set(`${routee}/${key}`, [...(perKey.get(`${routee}/${key}`) ?? []), seq])
      for (const seqs of perKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    }
  })

  it('spreads uneven work over idle routees (smallest-mailbox, balancing) and never loses a job', async () => {
    const s = await setup(strategy)
    const replies = await Promise.all(range(0, 24).map((seq) => s.router.ask.work('w', seq, 5)))
    expect(replies).toHaveLength(24)
    const perRoutee = byRoutee(await s.sink.ask.seen())
    if (strategy === 'smallest-mailbox' || strategy === 'balancing') expect(perRoutee.size).toBe(3)
  })

  it('lets routees answer asks directly, with the original sender', async () => {
    const s = await setup(strategy)
    const routees = ids(await s.router.routees())
    const reply = await s.router.ask.job('main', 0)
    expect(routees).toContain(reply.routee)
    const client = await s.system.spawn(Client, { placement: { worker: 1 } })
    const answered = await client.ask.askAll(s.router, 20)
    expect(answered).toHaveLength(20)
    for (const id of answered) expect(routees).toContain(id)
    expect(await client.ask.senderSeen(s.router)).toBe(true)
  })

  it('drops a routee that stops, and loses nothing sent afterwards', async () => {
    const s = await setup(strategy)
    const [gone, ...rest] = await s.router.routees()
    await s.system.stop(gone!)
    await expect.poll(async () => ids(await s.router.routees())).toEqual(ids(rest))
    const before = s.system.deadLetters.count
    const seen = await sendJobs(s, 0, 200, broadcast ? 400 : 200)
    expect(seen.some(([routee]) => routee === gone!.id)).toBe(false)
    expect(s.system.deadLetters.count).toBe(before)
  })

  it('resizes: new routees get work, removed ones finish theirs first', async () => {
    const s = await setup(strategy)
    await s.router.resize(5)
    const grown = ids(await s.router.routees())
    expect(grown).toHaveLength(5)
    const seen = await sendJobs(s, 0, 500, broadcast ? 2500 : 500)
    if (strategy === 'round-robin' || broadcast) for (const id of grown) expect(byRoutee(seen).get(id)?.length).toBe(broadcast ? 500 : 100)

    // Shrink while messages are in flight: none is lost.
    for (let seq = 500; seq < 800; seq++) s.router.tell.job(`k${seq % 10}`, seq)
    await s.router.resize(2)
    expect(ids(await s.router.routees())).toEqual(grown.slice(0, 2))
    const after = await sendJobs(s, 800, 100, broadcast ? 2500 + 1500 + 200 : 900)
    const late = after.filter(([, , seq]) => seq >= 800)
    expect(late.every(([routee]) => grown.slice(0, 2).includes(routee))).toBe(true)
    expect(s.system.deadLetters.count).toBe(0)
  })
})
