import { describe, expect, it } from 'vitest'
import { evenShares } from './idle-spawning.js'

describe('evenShares', () => {
  it('splits a count over the spawners, the first ones taking the remainder, summing to the count', () => {
    expect(evenShares(1_000_000, 2)).toEqual([500_000, 500_000])
    expect(evenShares(10, 3)).toEqual([4, 3, 3])
    expect(evenShares(1, 4)).toEqual([1, 0, 0, 0])
    for (const [count, parts] of [[100_001, 8], [7, 7], [0, 3]] as const) {
      const shares = evenShares(count, parts)
      expect(shares).toHaveLength(parts)
      expect(shares.reduce((a, b) => a + b, 0)).toBe(count)
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1)
    }
  })
})
