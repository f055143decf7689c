import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { BenchmarkResult } from '../harness.js'
import { computeRatios, ratioDefinitions } from '../ratios.js'
import type { RatioDefinition, RatioGoal } from '../ratios.js'
import type { SuiteReport } from '../results-file.js'
import { compileSpec, renderSvg } from './render.js'
import { attainment, chartSpec, linearSeries, measuredSeries, ratioRows, relativeDomain, throughputRows, ungoaledRatios } from './spec.js'

const result = (id: string, median: number, min = median, max = median): BenchmarkResult => ({ id, unit: 'msg/s', median, min, max, runs: 3, samples: [median, median, median] })

function report(results: BenchmarkResult[]): SuiteReport {
  return {
    node: 'v20.0.0',
    cpus: 2,
    cpuModel: 'Test CPU',
    date: '2026-01-02T03:04:05.000Z',
    quick: true,
    results,
    ratios: computeRatios(ratioDefinitions, results),
    measurement: { pairs: 3, runs: 3, warmupRounds: 1, confidence: 0.95, pinnedCpus: null, seconds: 60 },
    machine: {
      node: 'v20.0.0',
      cpus: 2,
      availableParallelism: 2,
      cpuModel: 'Test CPU',
      loadAverage: { start: [3.5, 2, 1], end: [4, 3, 2] },
      stealPercent: 1.5,
      busyPercent: 99,
      otherPercent: 40,
      warnings: ['load average was 3.50 on 2 CPUs when the run started'],
    },
    skipped: [],
  }
}

/** The ratios the goal panel shows: those with a goal (P18 and P28 have none). */
const goaled = ratioDefinitions.filter((d) => d.goal !== undefined)

/** Results that give every current ratio a value, some met and some not. */
const fullRun: BenchmarkResult[] = [
  result('tell.cross-thread', 5e6),
  result('tell.cross-thread.metrics', 4.9e6),
  result('tell.cross-thread.traced', 1e6),
  { ...result('metrics.scrape.ms', 60), unit: 'ms' },
  result('baseline.port.batched', 7e6),
  result('baseline.port.per-message', 0.4e6),
  result('ask.pipelined', 1e6),
  result('baseline.comlink.pipelined', 80e3),
  result('baseline.port.ask.pipelined', 200e3),
  { ...result('ask.latency.p50', 70), unit: 'us' },
  { ...result('baseline.port.ask.latency.p50', 72), unit: 'us' },
  result('tell.same-thread', 10e6),
  result('throughput.w1', 10e6, 9e6, 11e6),
  result('throughput.w2', 18e6, 16e6, 19e6),
  { ...result('skynet.1m', 0.7), unit: 's' },
  { ...result('restart.latency.p50', 75), unit: 'ms' },
  { ...result('offload.tasks', 30e3), unit: 'tasks/s' },
  { ...result('baseline.piscina.tasks', 33e3), unit: 'tasks/s' },
  { ...result('baseline.poolifier.tasks', 100e3), unit: 'tasks/s' },
  { ...result('memory.per-actor', 500), unit: 'B' },
  { ...result('routing.uneven.balancing', 800), unit: 'jobs/s' },
  { ...result('routing.uneven.round-robin', 500), unit: 'jobs/s' },
  { ...result('baseline.piscina.uneven', 850), unit: 'jobs/s' },
  { ...result('cpu.actors', 5e6), unit: 'numbers/s' },
  { ...result('cpu.single-thread', 2.7e6), unit: 'numbers/s' },
  { ...result('baseline.piscina.cpu', 5.1e6), unit: 'numbers/s' },
  { ...result('spawn.rate', 600e3), unit: 'actors/s' },
  { ...result('spawn.remote.rate', 40e3), unit: 'spawns/s' },
  { ...result('actors.alive.max', 4e6), unit: 'actors' },
  { ...result('actors.alive.max.rss', 3e9), unit: 'bytes' },
  result('pingpong.cross-thread', 60e3),
  result('baseline.port.pingpong', 100e3),
  result('entity.activate.rate', 150e3),
  result('entity.persist.rate', 80e3),
  result('baseline.lmdb.put', 300e3),
  { ...result('entity.million.rss', 600), unit: 'MB' },
  { ...result('reminder.lag.p99', 40), unit: 'ms' },
  result('cluster.tell', 1.2e6),
  result('baseline.nats.pub', 1.5e6),
  { ...result('cluster.ask.latency.p50', 550), unit: 'us' },
  { ...result('baseline.nats.request.latency.p50', 500), unit: 'us' },
  { ...result('cluster.down.detection.ms', 1100), unit: 'ms' },
  { ...result('cluster.failover.ms', 1150), unit: 'ms' },
  result('durable.handler.rate', 8e3),
  result('baseline.jetstream.consume', 30e3),
]

/** Every data row of every panel (and of its layers) in a built spec. */
function inlineRows(spec: unknown): unknown[] {
  const rows: unknown[] = []
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (node === null || typeof node !== 'object') return
    const record = node as Record<string, unknown>
    const data = record.data as { values?: unknown[] } | undefined
    if (data?.values !== undefined) rows.push(...data.values)
    for (const [key, value] of Object.entries(record)) if (key !== 'data') visit(value)
  }
  visit(spec)
  return rows
}

describe('attainment', () => {
  it('is value / goal for ">=" goals and goal / value for "<=" goals', () => {
    expect(attainment(15, { op: '>=', value: 10 })).toBe(1.5)
    expect(attainment(5, { op: '>=', value: 10 })).toBe(0.5)
    expect(attainment(50, { op: '<=', value: 100 })).toBe(2)
    expect(attainment(200, { op: '<=', value: 100 })).toBe(0.5)
  })
  it('clamps to 2^-10 .. 2^10, placing zero or negative values on the side of their status', () => {
    expect(attainment(0, { op: '>=', value: 10 })).toBe(2 ** -10)
    expect(attainment(-1, { op: '>=', value: 10 })).toBe(2 ** -10)
    expect(attainment(0, { op: '<=', value: 10 })).toBe(2 ** 10)
    expect(attainment(1e9, { op: '>=', value: 1 })).toBe(2 ** 10)
  })
  it('is >= 1 exactly when the goal is met', () => {
    const goal = fc.record<RatioGoal>({ op: fc.constantFrom('>=', '<='), value: fc.double({ min: 1e-6, max: 1e9, noNaN: true }) })
    const value = fc.oneof(fc.double({ min: -1e9, max: 1e12, noNaN: true }), fc.constantFrom(0, 1, 10))
    fc.assert(
      fc.property(goal, value, (g, v) => {
        const meets = g.op === '>=' ? v >= g.value : v <= g.value
        expect(attainment(v, g) >= 1).toBe(meets)
      }),
    )
    // The goal itself sits exactly on the line.
    expect(attainment(0.85, { op: '>=', value: 0.85 })).toBe(1)
  })
})

describe('ratioRows', () => {
  it('keeps the order of the outcomes, labels each with its expression and goal, and marks missing ones', () => {
    const rows = ratioRows(report(fullRun.filter((r) => r.id !== 'memory.per-actor')).ratios, ratioDefinitions)
    expect(rows.map((r) => r.id)).toEqual(goaled.map((d) => d.id))
    const byId = new Map(rows.map((r) => [r.id, r]))
    expect(byId.get('P1a')).toMatchObject({ label: 'P1a  tell.cross-thread / baseline.port.batched  ≥ 1.00', status: 'NOT met', valueText: '0.714', base: 1 })
    expect(byId.get('P5')).toMatchObject({ label: 'P5  throughput.wN / (N × throughput.w1)  ≥ 0.900', status: 'met', attainment: 1 })
    expect(byId.get('P6')).toMatchObject({ label: 'P6  skynet.1m  ≤ 1.00', status: 'met', attainment: 1 / 0.7 })
    expect(byId.get('P9')).toEqual({ id: 'P9', label: 'P9  memory.per-actor  ≤ 400', status: 'missing', attainment: null, low: null, high: null, textAt: null, valueText: 'missing', base: 1 })
  })
  it('agrees with the outcome on every ratio: met above the goal line, not met below it', () => {
    for (const row of ratioRows(report(fullRun).ratios, ratioDefinitions)) {
      expect(row.status).not.toBe('missing')
      expect(row.attainment !== null && row.attainment >= 1).toBe(row.status === 'met')
    }
  })
  it('leaves out ratios without a goal, whether reported or missing', () => {
    const outcomes = report(fullRun).ratios
    expect(outcomes.find((o) => o.id === 'P18')).toMatchObject({ goal: null, verdict: 'reported' })
    expect(ratioRows(outcomes, ratioDefinitions).map((r) => r.id)).not.toContain('P18')
    expect(ratioRows(report([]).ratios, ratioDefinitions).map((r) => r.id)).not.toContain('P18')
    expect(ungoaledRatios(outcomes)).toEqual(['P18', 'P28'])
    expect(ratioRows(outcomes, ratioDefinitions).find((r) => r.id === 'P19')).toMatchObject({ label: 'P19  metrics.scrape.ms  ≤ 50.0', status: 'NOT met' })
  })
  it('falls back to the outcome name for a ratio without a definition', () => {
    const outcome = { id: 'X', name: 'unknown ratio', value: 2, goal: { op: '>=', value: 1 }, meets: true, kind: 'paired', pairs: 1, interval: [2, 2], verdict: 'met' } as const
    expect(ratioRows([outcome], [])[0]?.label).toBe('X  unknown ratio  ≥ 1.00')
  })
  it('colours by verdict and carries the interval on the relative scale, ends swapped for "<=" goals', () => {
    const undecided = { id: 'U', name: 'u', value: 9, goal: { op: '>=', value: 10 }, meets: false, kind: 'paired', pairs: 10, interval: [8, 12], verdict: 'undecided' } as const
    expect(ratioRows([undecided], [])[0]).toMatchObject({ status: 'undecided', attainment: 0.9, low: 0.8, high: 1.2, textAt: 0.8 })
    const latency = { id: 'L', name: 'l', value: 0.5, goal: { op: '<=', value: 1 }, meets: true, kind: 'paired', pairs: 10, interval: [0.25, 0.8], verdict: 'met' } as const
    expect(ratioRows([latency], [])[0]).toMatchObject({ status: 'met', attainment: 2, low: 1.25, high: 4, textAt: 4 })
  })
})

describe('relativeDomain', () => {
  it('is symmetric around 1 in powers of two, at least 1/2 .. 2, covering every value with room for its label', () => {
    const rows = (values: (number | null)[]) =>
      ratioRows(
        values.map((value, i) => ({
          id: `R${i}`,
          name: 'r',
          value,
          goal: { op: '>=', value: 1 } as const,
          meets: value !== null && value >= 1,
          kind: 'paired' as const,
          pairs: 1,
          interval: value === null ? null : ([value, value] as const),
          verdict: value === null ? ('missing' as const) : value >= 1 ? ('met' as const) : ('not met' as const),
        })),
        [],
      )
    expect(relativeDomain(rows([]))).toEqual([0.5, 2])
    expect(relativeDomain(rows([null, 1.2]))).toEqual([0.5, 2])
    expect(relativeDomain(rows([2]))).toEqual([0.25, 4])
    expect(relativeDomain(rows([0.522]))).toEqual([0.25, 4])
    expect(relativeDomain(rows([5.43, 0.6]))).toEqual([0.125, 8])
    expect(relativeDomain(rows([0.1]))).toEqual([1 / 16, 16])
    expect(relativeDomain(rows([0]))).toEqual([2 ** -10, 2 ** 10])
  })
})

describe('throughputRows', () => {
  it('takes the throughput.wK results in worker order and adds k × w1 as linear scaling', () => {
    const rows = throughputRows([result('throughput.w2', 18, 16, 19), result('tell.same-thread', 99), result('throughput.w1', 10, 9, 11), result('tell.throughput.w4', 1)])
    expect(rows).toEqual([
      { workers: 1, series: measuredSeries, value: 10, min: 9, max: 11 },
      { workers: 2, series: measuredSeries, value: 18, min: 16, max: 19 },
      { workers: 1, series: linearSeries, value: 10, min: null, max: null },
      { workers: 2, series: linearSeries, value: 20, min: null, max: null },
    ])
  })
  it('draws no linear line without w1 or with one worker count only', () => {
    expect(throughputRows([result('throughput.w2', 18)]).map((r) => r.series)).toEqual([measuredSeries])
    expect(throughputRows([result('throughput.w1', 10)]).map((r) => r.series)).toEqual([measuredSeries])
    expect(throughputRows([])).toEqual([])
  })
})

describe('chartSpec', () => {
  it('stacks the ratio panel over the throughput panel and compiles without a warning', () => {
    const spec = chartSpec(report(fullRun), ratioDefinitions)
    expect('vconcat' in spec && spec.vconcat.length).toBe(2)
    const warnings: string[] = []
    compileSpec(spec, (message) => warnings.push(message))
    expect(warnings).toEqual([])
    const rows = inlineRows(spec)
    expect(rows).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'P5', status: 'met' }), expect.objectContaining({ workers: 2, series: linearSeries, value: 20e6 })]))
    expect(JSON.stringify(spec)).toContain('troupe benchmarks — 2026-01-02T03:04:05.000Z (quick)')
    expect(JSON.stringify(spec)).toContain('warning: load average was 3.50 on 2 CPUs when the run started')
    // Left out of the goal panel, so the panel says where it went.
    expect(JSON.stringify(spec)).toContain('without a goal, in the tables only: P18')
    expect(rows).not.toContainEqual(expect.objectContaining({ id: 'P18' }))
  })
  it('shows every ratio as missing and says so in the throughput panel when nothing ran', () => {
    const spec = chartSpec(report([]), ratioDefinitions)
    const rows = inlineRows(spec)
    const ratioRowsIn = rows.filter((row): row is { status: string } => typeof row === 'object' && row !== null && 'status' in row)
    expect(ratioRowsIn).toHaveLength(goaled.length)
    for (const row of ratioRowsIn) expect(row.status).toBe('missing')
    expect(rows).toContainEqual({ text: 'no throughput.wK results in this run' })
    const warnings: string[] = []
    compileSpec(spec, (message) => warnings.push(message))
    expect(warnings).toEqual([])
  })
  it('renders to SVG in Node (no canvas, no browser)', async () => {
    const warnings: string[] = []
    const definitions: readonly RatioDefinition[] = ratioDefinitions
    const svg = await renderSvg(chartSpec(report(fullRun.slice(0, 10)), definitions), (message) => warnings.push(message))
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('missing')
    expect(warnings).toEqual([])
  })
})
