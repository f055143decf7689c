import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bootstrapInterval, judge, median, pairedRatios, percentile, seededRandom, seedOf, summarizeSamples, verdictOf } from '../../src/bench/stats.js'

describe('order statistics', () => {
  it('takes the middle of an odd list and averages the middles of an even one, without reordering', () => {
    const values = [3, 1, 2]
    expect(median(values)).toBe(2)
    expect(values).toEqual([3, 1, 2])
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(percentile([10, 0, 20], 0.25)).toBe(5)
  })
  it('refuses an empty list and p outside [0, 1]', () => {
    expect(() => median([])).toThrow(/empty/)
    expect(() => percentile([1], 1.5)).toThrow(/p must be/)
  })
})

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const first = Array.from({ length: 100 }, () => a())
    expect(Array.from({ length: 100 }, () => b())).toEqual(first)
    for (const x of first) expect(x >= 0 && x < 1).toBe(true)
    expect(seededRandom(43)()).not.toBe(first[0])
  })
  it('seeds differ between ids and are stable', () => {
    expect(seedOf('P1a')).toBe(seedOf('P1a'))
    expect(seedOf('P1a')).not.toBe(seedOf('P1b'))
  })
})

describe('bootstrapInterval', () => {
  const samples = [0.91, 1.02, 0.97, 1.1, 0.88, 1.05, 0.99, 1.01, 0.95, 1.2]

  it('is reproducible for a seed', () => {
    expect(bootstrapInterval(samples, { seed: 7 })).toEqual(bootstrapInterval(samples, { seed: 7 }))
  })
  it('is ordered and lies within [min, max] of the samples', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.nat(), (values, seed) => {
        const [low, high] = bootstrapInterval(values, { seed, resamples: 200 })
        expect(low).toBeLessThanOrEqual(high)
        expect(low).toBeGreaterThanOrEqual(Math.min(...values))
        expect(high).toBeLessThanOrEqual(Math.max(...values))
      }),
      { numRuns: 100 },
    )
  })
  it('is a point for constant samples or a single sample', () => {
    expect(bootstrapInterval([2, 2, 2, 2])).toEqual([2, 2])
    expect(bootstrapInterval([5])).toEqual([5, 5])
  })
  it('narrows as the pairs grow (same spread, more pairs)', () => {
    const random = seededRandom(3)
    const draw = (n: number) => Array.from({ length: n }, () => 1 + (random() - 0.5) * 0.4)
    const width = ([low, high]: readonly [number, number]) => high - low
    expect(width(bootstrapInterval(draw(200)))).toBeLessThan(width(bootstrapInterval(draw(6))))
  })
  it('widens with the confidence asked for', () => {
    const narrow = bootstrapInterval(samples, { confidence: 0.5 })
    const wide = bootstrapInterval(samples, { confidence: 0.99 })
    expect(wide[0]).toBeLessThanOrEqual(narrow[0])
    expect(wide[1]).toBeGreaterThanOrEqual(narrow[1])
  })
  it('refuses bad input with a message naming it', () => {
    expect(() => bootstrapInterval([])).toThrow(/empty/)
    expect(() => bootstrapInterval([1, Number.NaN])).toThrow(/non-finite/)
    expect(() => bootstrapInterval([1], { confidence: 1 })).toThrow(/confidence/)
    expect(() => bootstrapInterval([1], { resamples: 0 })).toThrow(/resamples/)
  })
})

describe('verdictOf', () => {
  it('is met or not met only when the whole interval is on one side of the goal', () => {
    const atLeast = { op: '>=', value: 10 } as const
    expect(verdictOf([10, 12], atLeast)).toBe('met')
    expect(verdictOf([7.8, 9.99], atLeast)).toBe('not met')
    expect(verdictOf([7.8, 12], atLeast)).toBe('undecided')
    const atMost = { op: '<=', value: 1.2 } as const
    expect(verdictOf([0.3, 1.2], atMost)).toBe('met')
    expect(verdictOf([1.21, 2], atMost)).toBe('not met')
    expect(verdictOf([1, 1.5], atMost)).toBe('undecided')
  })
  it('agrees with the point comparison for a point interval, whatever the goal', () => {
    fc.assert(
      fc.property(fc.constantFrom('>=', '<=' as const), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (op, goal, value) => {
        const meets = op === '>=' ? value >= goal : value <= goal
        expect(verdictOf([value, value], { op, value: goal })).toBe(meets ? 'met' : 'not met')
      }),
    )
  })
  it('never says met when the point value misses the goal (the interval contains it)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (values, goal) => {
        const summary = summarizeSamples(values, { op: '>=', value: goal }, { resamples: 200 })
        if (summary.value < goal) expect(summary.verdict).not.toBe('met')
        if (summary.value >= goal) expect(summary.verdict).not.toBe('not met')
      }),
      { numRuns: 100 },
    )
  })
})

describe('judge', () => {
  it('leaves fewer than three samples undecided, even with a point interval far from the goal', () => {
    const goal = { op: '>=', value: 1 } as const
    expect(judge(1, [5, 5], goal)).toBe('undecided')
    expect(judge(2, [5, 6], goal)).toBe('undecided')
    expect(judge(3, [5, 6], goal)).toBe('met')
    expect(summarizeSamples([0.2, 0.3], goal).verdict).toBe('undecided')
  })
})

describe('pairedRatios', () => {
  it('divides pair by pair, so a common drift cancels', () => {
    // The machine halves its speed half-way: every pair moves together.
    const a = [10, 10, 5, 5]
    const b = [5, 5, 2.5, 2.5]
    expect(pairedRatios(a, b)).toEqual([2, 2, 2, 2])
    expect(summarizeSamples(pairedRatios(a, b), { op: '>=', value: 1.9 })).toEqual({ value: 2, interval: [2, 2], samples: 4, verdict: 'met' })
  })
  it('refuses unequal lengths and a zero denominator', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(/as many/)
    expect(() => pairedRatios([1], [0])).toThrow(/pair 0/)
  })
})
