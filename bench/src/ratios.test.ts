import { describe, expect, it } from 'vitest'
import type { BenchmarkResult } from './harness.js'
import { computeRatios, ratioDefinitions, ratioExpression, scalingEfficiency } from './ratios.js'
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

describe('computed ratios', () => {
  const computed: RatioDefinition = {
    id: 'C',
    name: 'computed',
    of: 'a + b',
    compute: (byId) => {
      const a = byId.get('a')
      const b = byId.get('b')
      return a === undefined || b === undefined ? null : a.median + b.median
    },
    goal: { op: '>=', value: 5 },
  }
  it('evaluates the function over the results and checks the goal', () => {
    expect(computeRatios([computed], [result('a', 2), result('b', 4)])).toEqual([
      { id: 'C', name: 'computed', value: 6, goal: { op: '>=', value: 5 }, meets: true },
    ])
  })
  it('reports null as missing and never met', () => {
    expect(computeRatios([computed], [result('a', 2)])[0]).toMatchObject({ value: null, meets: false })
  })
  it('treats a non-finite computed value as missing', () => {
    const infinite: RatioDefinition = { ...computed, compute: () => Number.POSITIVE_INFINITY, goal: { op: '>=', value: 0 } }
    expect(computeRatios([infinite], [])[0]).toMatchObject({ value: null, meets: false })
  })
  it('shows its description as the expression', () => {
    expect(ratioExpression(computed)).toBe('a + b')
    expect(ratioExpression({ id: 'Q', name: 'q', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 1 } })).toBe('a / b')
    expect(ratioExpression({ id: 'A', name: 'abs', numerator: 'a', goal: { op: '>=', value: 1 } })).toBe('a')
  })
})

describe('P5 scaling efficiency', () => {
  const p5 = ratioDefinitions.find((d) => d.id === 'P5')
  const outcome = (results: BenchmarkResult[]) => computeRatios(p5 === undefined ? [] : [p5], results)[0]
  const byId = (results: BenchmarkResult[]) => new Map(results.map((r) => [r.id, r]))

  it('divides the largest worker count present by N times w1', () => {
    expect(p5).toBeDefined()
    expect(outcome([result('throughput.w1', 10e6), result('throughput.w2', 18e6)])).toMatchObject({ value: 0.9, meets: true })
    expect(outcome([result('throughput.w1', 10e6), result('throughput.w2', 16e6)])).toMatchObject({ value: 0.8, meets: false })
  })
  it('finds N among the results, whatever their order, ignoring other ids', () => {
    const results = [
      result('throughput.w8', 60e6),
      result('throughput.w1', 10e6),
      result('throughput.w4', 38e6),
      result('throughput.w10x', 1),
      result('tell.throughput.w16', 1),
      result('throughput.w0', 1),
    ]
    expect(scalingEfficiency(byId(results))).toBeCloseTo(0.75)
  })
  it('uses the largest K that is present when a higher one is missing (failed or not selected)', () => {
    expect(scalingEfficiency(byId([result('throughput.w1', 10e6), result('throughput.w3', 27e6)]))).toBeCloseTo(0.9)
  })
  it('is missing without w1, or with w1 alone', () => {
    expect(outcome([result('throughput.w2', 18e6)])).toMatchObject({ value: null, meets: false })
    expect(outcome([result('throughput.w1', 10e6)])).toMatchObject({ value: null, meets: false })
    expect(outcome([])).toMatchObject({ value: null, meets: false })
  })
})

describe('ratioDefinitions', () => {
  it('has unique ids, and every ratio is missing (never met) in an empty run', () => {
    const ids = ratioDefinitions.map((d) => d.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(['P1a', 'P1b', 'P2a', 'P2b', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12', 'P13'])
    for (const outcome of computeRatios(ratioDefinitions, [])) expect(outcome).toMatchObject({ value: null, meets: false })
  })
  it('states the goals of P6, P8 and P9 on their ids', () => {
    const outcomes = computeRatios(ratioDefinitions, [
      result('skynet.1m', 0.8),
      result('offload.tasks', 96),
      result('baseline.piscina.tasks', 100),
      result('memory.per-actor', 401),
    ])
    const byRatio = new Map(outcomes.map((o) => [o.id, o]))
    expect(byRatio.get('P6')).toMatchObject({ value: 0.8, meets: true, goal: { op: '<=', value: 1 } })
    expect(byRatio.get('P8')).toMatchObject({ value: 0.96, meets: true, goal: { op: '>=', value: 0.95 } })
    expect(byRatio.get('P9')).toMatchObject({ value: 401, meets: false, goal: { op: '<=', value: 400 } })
  })
})
