import { describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../src/index.js'
import { ActorRefImpl, DETACHED_RUNTIME, resolvePlacement, stableHash } from '../src/internal.js'

describe('placement', () => {
  it('resolves every documented form', () => {
    const ref = new ActorRefImpl(5, 2, undefined, DETACHED_RUNTIME, undefined, 0, 0)
    expect(resolvePlacement(undefined, 4)).toEqual({ kind: 'round-robin' })
    expect(resolvePlacement('least-loaded', 4)).toEqual({ kind: 'least-loaded' })
    expect(resolvePlacement('main', 4)).toEqual({ kind: 'main' })
    expect(resolvePlacement({ worker: 3 }, 4)).toEqual({ kind: 'worker', worker: 3 })
    expect(resolvePlacement({ colocateWith: ref }, 4)).toEqual({ kind: 'colocate', actorId: 5, thread: 2 })
    expect(resolvePlacement({ hash: 12 }, 4)).toEqual({ kind: 'hash', key: '12' })
  })

  it('rejects bad values with the option named', () => {
    expect(() => resolvePlacement({ worker: 4 }, 4)).toThrow(/placement\.worker/)
    expect(() => resolvePlacement({ worker: -1 }, 4)).toThrow(InvalidOptionError)
    expect(() => resolvePlacement({ hash: {} }, 4)).toThrow(/placement\.hash/)
    expect(() => resolvePlacement('nearest', 4)).toThrow(/option "placement"/)
  })

  it('hashes stably (the same key maps to the same worker in every process)', () => {
    expect(stableHash('customer-42')).toBe(stableHash('customer-42'))
    expect(stableHash('')).toBe(0x811c9dc5)
    expect(stableHash('a')).toBe(0xe40c292c) // FNV-1a reference value
  })
})
