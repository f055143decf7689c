import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { RetainedBytes } from '../src/transport/retained-bytes.js'

describe('RetainedBytes', () => {
  it('keeps an exact copy of every batch until it is released, releasing in send order, whatever the sizes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }), (steps) => {
        const retained = new RetainedBytes()
        const held: { kept: Uint8Array; expected: number }[] = []
        let n = 0
        for (const [size, releases] of steps) {
          const bytes = new Uint8Array(size).fill(++n % 251)
          held.push({ kept: retained.keep(bytes), expected: n % 251 })
          bytes.fill(0) // the original is transferred away: the copy must not depend on it
          for (let r = 0; r < releases && held.length > 0; r++) retained.release(held.shift()!.kept)
          // Every copy still held is intact: later copies never overwrote an earlier one.
          for (const { kept, expected } of held) expect(kept.every((byte) => byte === expected)).toBe(true)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('reuses one buffer for a steady stream of small batches', () => {
    const retained = new RetainedBytes()
    const first = retained.keep(new Uint8Array(1000))
    retained.release(first)
    const again = retained.keep(new Uint8Array(1000))
    expect(again.buffer).toBe(first.buffer)
    expect(again.byteOffset).toBe(0)
  })
})
