import { describe, expect, it } from 'vitest'
import type { BenchmarkResult } from './harness.js'
import { computeRatios } from './ratios.js'
import type { RatioDefinition } from './ratios.js'

const result = (id: string, median: number): BenchmarkResult => ({ id, unit: 'msg/s', median, min: median, max: median, runs: 1 })

const definitions: RatioDefinition[] = [
  { id: 'R1', name: 'ratio', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 2 } },
  { id: 'R2', name: 'lower is better', numerator: 'a', denominator: 'b', goal: { op: '<=', value: 1.2 } },
  { id: 'R3', name: 'absolute', numerator: 'a', goal: { op: '>=', value: 100 } },
]

describe('computeRatios', () => {
  it('divides same-run medians and checks the goal', () => {
    const [r1, r2, r3] = computeRatios(definitions, [result('a', 300), result('b', 100)])
    expect(r1).toMatchObject({ id: 'R1', value: 3, meets: true })
    expect(r2).toMatchObject({ id: 'R2', value: 3, meets: false })
    expect(r3).toMatchObject({ id: 'R3', value: 300, meets: true })
  })
  it('reports a ratio with a missing side as null and never met', () => {
    const outcomes = computeRatios(definitions, [result('b', 100)])
    for (const outcome of outcomes) expect(outcome).toMatchObject({ value: null, meets: false })
    const onlyNumerator = computeRatios(definitions, [result('a', 300)])
    expect(onlyNumerator.map((o) => o.value)).toEqual([null, null, 300])
  })
})
