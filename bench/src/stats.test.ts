import { describe, expect, it } from 'vitest'
import { median, percentile } from './stats.js'

describe('stats', () => {
  it('takes the middle of an odd list and averages the middles of an even one', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
  it('interpolates percentiles and does not reorder the input', () => {
    const values = [10, 0, 20]
    expect(percentile(values, 0)).toBe(0)
    expect(percentile(values, 1)).toBe(20)
    expect(percentile(values, 0.25)).toBe(5)
    expect(values).toEqual([10, 0, 20])
  })
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow()
  })
})
