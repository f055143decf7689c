import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HashRing, RoutingTable, keyHash } from '../src/internal.js'

const routee = (id: number) => ({ id })
const table = (strategy: ConstructorParameters<typeof RoutingTable>[0], ids: number[], prefetch = 2) => {
  const t = new RoutingTable<{ id: number }>(strategy, { virtualNodes: 64, prefetch })
  for (const id of ids) t.add(routee(id))
  return t
}

describe('routing table', () => {
  it('round-robin takes each routee in turn', () => {
    const t = table('round-robin', [1, 2, 3])
    expect(Array.from({ length: 7 }, () => t.pick(undefined)?.id)).toEqual([1, 2, 3, 1, 2, 3, 1])
  })

  it('picks nothing without routees, and ignores duplicates and unknown removals', () => {
    const t = table('random', [])
    expect(t.pick(undefined)).toBeUndefined()
    expect(t.add(routee(1))).toBe(true)
    expect(t.add(routee(1))).toBe(false)
    expect(t.remove(9)).toBeUndefined()
    expect(t.size).toBe(1)
  })

  it('smallest-mailbox picks the routee with the fewest messages in flight', () => {
    const t = table('smallest-mailbox', [1, 2, 3])
    for (const id of [1, 1, 2]) t.dispatched(id)
    expect(t.pick(undefined)?.id).toBe(3)
    t.dispatched(3)
    t.dispatched(3)
    expect(t.pick(undefined)?.id).toBe(2)
    t.completed(1)
    t.completed(1)
    expect(t.pick(undefined)?.id).toBe(1)
  })

  it('balancing never gives a routee more than prefetch messages', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('send' as const), fc.integer({ min: 1, max: 3 })), { maxLength: 200 }), fc.integer({ min: 1, max: 4 }), (steps, prefetch) => {
        const t = table('balancing', [1, 2, 3], prefetch)
        for (const step of steps) {
          if (step === 'send') {
            const picked = t.pick(undefined)
            if (picked === undefined) expect([1, 2, 3].every((id) => t.inFlight(id) === prefetch)).toBe(true)
            else t.dispatched(picked.id)
          } else {
            t.completed(step)
          }
          for (const id of [1, 2, 3]) expect(t.inFlight(id)).toBeLessThanOrEqual(prefetch)
        }
      }),
    )
  })

  it('consistent-hash sends equal keys to the same routee', () => {
    const t = table('consistent-hash', [1, 2, 3, 4])
    for (const key of ['a', 'b', 42, { user: 7 }]) expect(t.pick(key)?.id).toBe(t.pick(key)?.id)
    expect(keyHash(7)).toBe(keyHash('7'))
    expect(keyHash({ a: 1, b: [2] })).toBe(keyHash({ a: 1, b: [2] }))
  })
})

describe('hash ring', () => {
  it('places named members by name, so keys keep their owner across runs whatever the ids', () => {
    const names = ['shard-a', 'shard-b', 'shard-c']
    const first = table('consistent-hash', [])
    names.forEach((name, i) => first.add({ id: 10 + i, name } as { id: number }))
    const second = table('consistent-hash', [])
    names.forEach((name, i) => second.add({ id: 500 - i, name } as { id: number }))
    const nameOf = (t: typeof first, key: string) => (t.pick(key) as { name?: string }).name
    for (let k = 0; k < 200; k++) expect(nameOf(second, `key-${k}`)).toBe(nameOf(first, `key-${k}`))
  })

  const owners = (ring: HashRing, keys: string[]) => keys.map((key) => ring.owner(keyHash(key)))

  it('adding a member moves keys only to it; removing one moves only its keys', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 10_001, max: 20_000 }), (members, added) => {
        const keys = Array.from({ length: 300 }, (_, i) => `key-${i}`)
        const ring = new HashRing(32)
        const member = (id: number) => ({ id, label: `#${id}` })
        ring.reset(members.map(member))
        const before = owners(ring, keys)
        ring.reset([...members, added].map(member))
        const after = owners(ring, keys)
        after.forEach((owner, i) => expect(owner === before[i] || owner === added).toBe(true))
        ring.reset(members.map(member))
        expect(owners(ring, keys)).toEqual(before)
      }),
      { numRuns: 50 },
    )
  })

  it('spreads keys over every member', () => {
    const ring = new HashRing(160)
    ring.reset([1, 2, 3, 4].map((id) => ({ id, label: `#${id}` })))
    const counts = new Map<number, number>()
    for (let i = 0; i < 10_000; i++) counts.set(ring.owner(keyHash(`k${i}`))!, (counts.get(ring.owner(keyHash(`k${i}`))!) ?? 0) + 1)
    for (const member of [1, 2, 3, 4]) expect(counts.get(member)).toBeGreaterThan(1_500) // a fair share is 2 500
  })
})
