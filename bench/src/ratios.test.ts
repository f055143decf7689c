import { describe, expect, it } from 'vitest'
import type { BenchmarkResult } from './harness.js'
import { summarizeFigures } from './harness.js'
import { computeRatios, perPairValues, ratioDefinitions, ratioExpression, ratioInputs, scalingEfficiency } from './ratios.js'
import type { RatioDefinition } from './ratios.js'

/** A result whose every round gave `figure`, or the given figures in round order. */
const result = (id: string, figures: number | number[]): BenchmarkResult => summarizeFigures(id, 'msg/s', typeof figures === 'number' ? [figures] : figures)

const definitions: RatioDefinition[] = [
  { id: 'R1', name: 'ratio', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 2 } },
  { id: 'R2', name: 'lower is better', numerator: 'a', denominator: 'b', goal: { op: '<=', value: 1.2 } },
  { id: 'R3', name: 'absolute', numerator: 'a', goal: { op: '>=', value: 100 } },
]

describe('computeRatios', () => {
  it('divides figures of the same round and checks the goal', () => {
    const [r1, r2, r3] = computeRatios(definitions, [result('a', 300), result('b', 100)])
    // One pair decides nothing: its interval is a point, whatever the spread.
    expect(r1).toMatchObject({ id: 'R1', value: 3, meets: true, kind: 'paired', pairs: 1, interval: [3, 3], verdict: 'undecided' })
    expect(r2).toMatchObject({ id: 'R2', value: 3, meets: false, verdict: 'undecided' })
    expect(r3).toMatchObject({ id: 'R3', value: 300, meets: true, kind: 'absolute', verdict: 'undecided' })
    const [d1, d2, d3] = computeRatios(definitions, [result('a', [300, 300, 300]), result('b', [100, 100, 100])])
    expect([d1?.verdict, d2?.verdict, d3?.verdict]).toEqual(['met', 'not met', 'met'])
  })
  it('takes the median of per-pair ratios, not the ratio of medians, so drift cancels', () => {
    // The machine slows to a tenth over the rounds; a is always 2.5× b within a round.
    const a = result('a', [250, 25, 2.5, 250, 25])
    const b = result('b', [100, 10, 1, 100, 10])
    expect(perPairValues(definitions[0]!, new Map([a, b].map((r) => [r.id, r])))).toEqual([2.5, 2.5, 2.5, 2.5, 2.5])
    expect(computeRatios(definitions, [a, b])[0]).toMatchObject({ value: 2.5, interval: [2.5, 2.5], pairs: 5, verdict: 'met' })
  })
  it('says undecided when the pairs straddle the goal, and is reproducible', () => {
    const a = result('a', [19, 21, 18, 23, 20, 22])
    const b = result('b', [10, 10, 10, 10, 10, 10])
    const first = computeRatios(definitions, [a, b])[0]
    expect(first).toMatchObject({ verdict: 'undecided', pairs: 6 })
    expect(first?.interval?.[0]).toBeLessThan(2)
    expect(first?.interval?.[1]).toBeGreaterThan(2)
    expect(computeRatios(definitions, [a, b])[0]).toEqual(first)
  })
  it('judges "<=" goals on the interval too', () => {
    const outcome = computeRatios(definitions, [result('a', [10, 11, 12]), result('b', [10, 10, 10])])[1]
    expect(outcome).toMatchObject({ verdict: 'met', meets: true })
  })
  it('reports a ratio with a missing side as null, missing and never met', () => {
    const outcomes = computeRatios(definitions, [result('b', 100)])
    for (const outcome of outcomes) expect(outcome).toMatchObject({ value: null, meets: false, interval: null, verdict: 'missing', pairs: 0 })
    const onlyNumerator = computeRatios(definitions, [result('a', 300)])
    expect(onlyNumerator.map((o) => o.value)).toEqual([null, null, 300])
  })
})

describe('ratios without a goal', () => {
  const reported: RatioDefinition = { id: 'N', name: 'no goal', numerator: 'a', denominator: 'b' }
  it('are reported with their value and interval, goal null, never met and never judged', () => {
    const outcome = computeRatios([reported], [result('a', [50, 60, 70]), result('b', [100, 100, 100])])[0]
    expect(outcome).toMatchObject({ id: 'N', value: 0.6, goal: null, meets: false, kind: 'paired', pairs: 3, verdict: 'reported' })
    expect(outcome?.interval?.[0]).toBeLessThanOrEqual(0.6)
    expect(outcome?.interval?.[1]).toBeGreaterThanOrEqual(0.6)
  })
  it('are missing, not reported, when a side is missing', () => {
    expect(computeRatios([reported], [result('a', 50)])[0]).toMatchObject({ value: null, goal: null, meets: false, interval: null, verdict: 'missing', pairs: 0 })
  })
  it('show their expression like any other ratio', () => {
    expect(ratioExpression(reported)).toBe('a / b')
    expect(ratioInputs(reported, ['a', 'b'])).toEqual(['a', 'b'])
  })
})

describe('computed ratios', () => {
  const computed: RatioDefinition = {
    id: 'C',
    name: 'computed',
    of: 'a + b',
    inputs: (ids) => ids.filter((id) => id === 'a' || id === 'b'),
    compute: (figures) => {
      const a = figures.get('a')
      const b = figures.get('b')
      return a === undefined || b === undefined ? null : a + b
    },
    goal: { op: '>=', value: 5 },
  }
  it('evaluates the function round by round and checks the goal', () => {
    expect(computeRatios([computed], [result('a', [2, 3, 2]), result('b', [4, 4, 4])])).toEqual([
      { id: 'C', name: 'computed', value: 6, goal: { op: '>=', value: 5 }, meets: true, kind: 'computed', pairs: 3, interval: [6, 7], verdict: 'met' },
    ])
  })
  it('reports null as missing and never met', () => {
    expect(computeRatios([computed], [result('a', 2)])[0]).toMatchObject({ value: null, meets: false, verdict: 'missing' })
  })
  it('treats a non-finite computed value as missing', () => {
    const infinite: RatioDefinition = { ...computed, compute: () => Number.POSITIVE_INFINITY, goal: { op: '>=', value: 0 } }
    expect(computeRatios([infinite], [result('a', 1)])[0]).toMatchObject({ value: null, meets: false })
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
  const figures = (entries: [string, number][]) => new Map(entries)

  it('divides the largest worker count present by N times w1, round by round', () => {
    expect(p5).toBeDefined()
    expect(outcome([result('throughput.w1', 10e6), result('throughput.w2', 18e6)])).toMatchObject({ value: 0.9, meets: true, kind: 'computed' })
    expect(outcome([result('throughput.w1', 10e6), result('throughput.w2', 16e6)])).toMatchObject({ value: 0.8, meets: false })
    // Three rounds on a machine that slowed down in between: still 0.9 each round.
    expect(outcome([result('throughput.w1', [10e6, 5e6, 2e6]), result('throughput.w2', [18e6, 9e6, 3.6e6])])).toMatchObject({ value: 0.9, interval: [0.9, 0.9], verdict: 'met' })
  })
  it('reads only throughput.wK ids', () => {
    expect(ratioInputs(p5!, ['throughput.w1', 'tell.throughput.w4', 'throughput.w2', 'throughput.w10x'])).toEqual(['throughput.w1', 'throughput.w2'])
  })
  it('finds N among the figures, whatever their order, ignoring other ids', () => {
    const round = figures([
      ['throughput.w8', 60e6],
      ['throughput.w1', 10e6],
      ['throughput.w4', 38e6],
      ['throughput.w10x', 1],
      ['tell.throughput.w16', 1],
      ['throughput.w0', 1],
    ])
    expect(scalingEfficiency(round)).toBeCloseTo(0.75)
  })
  it('uses the largest K that is present when a higher one is missing (failed or not selected)', () => {
    expect(scalingEfficiency(figures([['throughput.w1', 10e6], ['throughput.w3', 27e6]]))).toBeCloseTo(0.9)
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
    expect(ids).toEqual(['P1a', 'P1b', 'P2a', 'P2b', 'P3', 'P3b', 'P4', 'P4b', 'P5', 'P6', 'P7', 'P8', 'P8b', 'P9', 'P10', 'P11', 'P12', 'P13', 'P14', 'P15', 'P16', 'P17', 'P18', 'P19', 'P20', 'P21', 'P22', 'P23', 'P24', 'P25', 'P26', 'P27', 'P28', 'P29'])
    for (const outcome of computeRatios(ratioDefinitions, [])) expect(outcome).toMatchObject({ value: null, meets: false, verdict: 'missing' })
  })
  it('states the goals of P6, P8, P8b and P9 on their ids', () => {
    const outcomes = computeRatios(ratioDefinitions, [
      result('skynet.1m', 0.8),
      result('offload.tasks', 96),
      result('baseline.piscina.tasks', 100),
      result('baseline.poolifier.tasks', 120),
      result('memory.per-actor', 401),
    ])
    const byRatio = new Map(outcomes.map((o) => [o.id, o]))
    expect(byRatio.get('P6')).toMatchObject({ value: 0.8, meets: true, goal: { op: '<=', value: 1 }, kind: 'absolute' })
    expect(byRatio.get('P8')).toMatchObject({ value: 0.96, meets: true, goal: { op: '>=', value: 0.95 }, kind: 'paired' })
    expect(byRatio.get('P8b')).toMatchObject({ value: 0.8, meets: false, goal: { op: '>=', value: 1.0 }, kind: 'paired' })
    expect(byRatio.get('P9')).toMatchObject({ value: 401, meets: false, goal: { op: '<=', value: 400 } })
  })
  it('states the goals of P14, P15 and P16 on their ids, absolute', () => {
    const outcomes = computeRatios(ratioDefinitions, [
      result('spawn.rate', [600e3, 550e3, 700e3]),
      result('spawn.remote.rate', 90e3),
      result('actors.alive.max', [10e6, 10e6, 10e6]),
      result('actors.alive.max.rss', 3e9),
    ])
    const byRatio = new Map(outcomes.map((o) => [o.id, o]))
    expect(byRatio.get('P14')).toMatchObject({ value: 600e3, goal: { op: '>=', value: 500e3 }, kind: 'absolute', verdict: 'met' })
    expect(byRatio.get('P15')).toMatchObject({ value: 90e3, meets: false, goal: { op: '>=', value: 100e3 }, kind: 'absolute' })
    // A process that held the target every time meets it; the RSS companion is in no ratio.
    expect(byRatio.get('P16')).toMatchObject({ value: 10e6, meets: true, goal: { op: '>=', value: 10e6 }, verdict: 'met', pairs: 3 })
    expect(ratioDefinitions.flatMap((d) => ratioInputs(d, ['actors.alive.max', 'actors.alive.max.rss']))).not.toContain('actors.alive.max.rss')
  })
  it('pairs P17 and P18 with tell.cross-thread, P18 without a goal, and P19 absolute', () => {
    const outcomes = computeRatios(ratioDefinitions, [
      result('tell.cross-thread', [4e6, 2e6, 3e6]),
      result('tell.cross-thread.metrics', [3.9e6, 1.9e6, 2.94e6]),
      result('tell.cross-thread.traced', [1e6, 0.5e6, 0.75e6]),
      result('metrics.scrape.ms', [20, 30, 25]),
    ])
    const byRatio = new Map(outcomes.map((o) => [o.id, o]))
    expect(byRatio.get('P17')).toMatchObject({ value: 0.975, meets: true, goal: { op: '>=', value: 0.95 }, kind: 'paired', verdict: 'met', pairs: 3 })
    expect(byRatio.get('P18')).toMatchObject({ value: 0.25, meets: false, goal: null, kind: 'paired', verdict: 'reported', interval: [0.25, 0.25] })
    expect(byRatio.get('P19')).toMatchObject({ value: 25, meets: true, goal: { op: '<=', value: 50 }, kind: 'absolute', verdict: 'met' })
    const p18 = ratioDefinitions.find((d) => d.id === 'P18')
    expect(p18 === undefined ? [] : ratioInputs(p18, [])).toEqual(['tell.cross-thread.traced', 'tell.cross-thread'])
  })
  it('pairs P25 and P26 with the raw NATS baselines, and judges P27 against 2000 ms', () => {
    const outcomes = computeRatios(ratioDefinitions, [
      result('cluster.tell', [0.5e6, 1e6, 0.75e6]),
      result('baseline.nats.pub', [1e6, 2e6, 1.5e6]),
      result('cluster.ask.latency.p50', [600, 500, 550]),
      result('baseline.nats.request.latency.p50', [500, 500, 500]),
      result('cluster.down.detection.ms', [1100, 1000, 1200]),
    ])
    const byRatio = new Map(outcomes.map((o) => [o.id, o]))
    expect(byRatio.get('P25')).toMatchObject({ value: 0.5, meets: false, goal: { op: '>=', value: 0.8 }, kind: 'paired', verdict: 'not met', pairs: 3 })
    expect(byRatio.get('P26')).toMatchObject({ value: 1.1, meets: true, goal: { op: '<=', value: 1.2 }, kind: 'paired', verdict: 'met' })
    expect(byRatio.get('P27')).toMatchObject({ value: 1100, meets: true, goal: { op: '<=', value: 2000 }, kind: 'absolute', verdict: 'met' })
  })
  it('pairs P28 with the raw JetStream consumer, reported without a goal', () => {
    const outcomes = computeRatios(ratioDefinitions, [
      result('durable.handler.rate', [5e3, 6e3, 4e3]),
      result('baseline.jetstream.consume', [20e3, 30e3, 20e3]),
    ])
    expect(outcomes.find((o) => o.id === 'P28')).toMatchObject({ value: 0.2, meets: false, goal: null, kind: 'paired', verdict: 'reported', pairs: 3 })
    const p28 = ratioDefinitions.find((d) => d.id === 'P28')
    expect(p28 === undefined ? [] : ratioInputs(p28, [])).toEqual(['durable.handler.rate', 'baseline.jetstream.consume'])
  })
  it('judges P29, the failover of a SIGKILLed node\'s entities, against 2000 ms, absolute', () => {
    const byRatio = new Map(computeRatios(ratioDefinitions, [result('cluster.failover.ms', [1100, 1000, 1200])]).map((o) => [o.id, o]))
    expect(byRatio.get('P29')).toMatchObject({ value: 1100, meets: true, goal: { op: '<=', value: 2000 }, kind: 'absolute', verdict: 'met', pairs: 3 })
    expect(computeRatios(ratioDefinitions, [result('cluster.failover.ms', [2100, 2300, 2200])]).find((o) => o.id === 'P29')).toMatchObject({ value: 2200, meets: false, verdict: 'not met' })
    const p29 = ratioDefinitions.find((d) => d.id === 'P29')
    expect(p29 === undefined ? [] : ratioInputs(p29, [])).toEqual(['cluster.failover.ms'])
  })
})
