// Builds the Vega-Lite spec of bench/results/latest.svg from a suite report: (a) every ratio
// against its goal, (b) throughput against worker count. Pure data in, spec out; render.ts draws it.
import type { TopLevelSpec } from 'vega-lite'
import { withSiPrefix } from '../format.js'
import type { BenchmarkResult } from '../harness.js'
import { ratioExpression } from '../ratios.js'
import type { RatioDefinition, RatioGoal, RatioOutcome, RatioVerdict } from '../ratios.js'
import type { SuiteReport } from '../results-file.js'

export type RatioStatus = 'met' | 'NOT met' | 'undecided' | 'missing'

export interface RatioRow {
  readonly id: string
  /** y-axis label: id, how the value is formed, and the goal. */
  readonly label: string
  readonly status: RatioStatus
  /** Value relative to its goal, >= 1 when met (see `attainment`); null when missing. */
  readonly attainment: number | null
  /** The interval's ends on the same relative scale, low <= high; null when missing. */
  readonly low: number | null
  readonly high: number | null
  /** Where the value's text goes: past the bar's end or the interval's, whichever is further out. */
  readonly textAt: number | null
  /** The ratio's own value as shown in the tables, or "missing". */
  readonly valueText: string
  /** Where the bar starts: the goal, 1 on the relative scale. */
  readonly base: 1
}

export interface ThroughputRow {
  readonly workers: number
  readonly series: string
  readonly value: number
  /** min and max over the timed runs; measured series only. */
  readonly min: number | null
  readonly max: number | null
}

export const measuredSeries = 'measured (median)'
export const linearSeries = 'linear scaling (k × w1)'

/** Relative values are drawn on a log scale symmetric around 1, clamped to 2^±maxExponent. */
const maxExponent = 10

const statusColours: Readonly<Record<RatioStatus, string>> = { met: '#2e7d32', 'NOT met': '#c62828', undecided: '#ef6c00', missing: '#9e9e9e' }

/**
 * How far a value is from its goal, on a scale where 1 is exactly the goal and above 1 meets it:
 * value / goal for ">=" goals, goal / value for "<=" goals (a latency half its ceiling is 2).
 * Clamped to [2^-10, 2^10], so zero or negative values still have a place on a log scale.
 */
export function attainment(value: number, goal: RatioGoal): number {
  const lo = 2 ** -maxExponent
  const hi = 2 ** maxExponent
  const raw = goal.op === '>=' ? value / goal.value : goal.value / value
  if (Number.isNaN(raw)) return lo
  if (raw <= 0) return goal.op === '>=' ? lo : hi // a "<=" goal with a zero or negative value is as met as can be
  return Math.min(hi, Math.max(lo, raw))
}

function goalText(goal: RatioGoal): string {
  return `${goal.op === '>=' ? '≥' : '≤'} ${withSiPrefix(goal.value)}`
}

/** An outcome judged against a goal: the only kind the goal panel can place. */
type JudgedOutcome = RatioOutcome & { readonly goal: RatioGoal; readonly verdict: Exclude<RatioVerdict, 'reported'> }

const isJudged = (outcome: RatioOutcome): outcome is JudgedOutcome => outcome.goal !== null && outcome.verdict !== 'reported'

const statusOf: Readonly<Record<JudgedOutcome['verdict'], RatioStatus>> = { met: 'met', 'not met': 'NOT met', undecided: 'undecided', missing: 'missing' }

/**
 * One row per ratio with a goal, in the outcomes' order. A ratio without a goal (P18) has no
 * place on a scale relative to its goal, so it is left out: the tables report it.
 */
export function ratioRows(outcomes: readonly RatioOutcome[], definitions: readonly RatioDefinition[]): RatioRow[] {
  const byId = new Map(definitions.map((d) => [d.id, d]))
  return outcomes.filter(isJudged).map((outcome) => {
    const definition = byId.get(outcome.id)
    const expression = definition === undefined ? outcome.name : ratioExpression(definition)
    const value = outcome.value
    const relative = value === null ? null : attainment(value, outcome.goal)
    // A "<=" goal inverts the scale, so the interval's ends may swap.
    const ends = outcome.interval === null ? null : outcome.interval.map((end) => attainment(end, outcome.goal))
    const low = ends === null ? relative : Math.min(...ends)
    const high = ends === null ? relative : Math.max(...ends)
    return {
      id: outcome.id,
      label: `${outcome.id}  ${expression}  ${goalText(outcome.goal)}`,
      status: value === null ? 'missing' : statusOf[outcome.verdict],
      attainment: relative,
      low,
      high,
      textAt: relative === null || low === null || high === null ? null : relative >= 1 ? high : low,
      valueText: value === null ? 'missing' : withSiPrefix(value),
      base: 1,
    }
  })
}

const throughputId = /^throughput\.w([1-9]\d*)$/

/** The throughput.wK results as (k, median, min, max), ascending k, plus k × w1 when w1 is present. */
export function throughputRows(results: readonly BenchmarkResult[]): ThroughputRow[] {
  const measured: ThroughputRow[] = []
  for (const result of results) {
    const k = Number(throughputId.exec(result.id)?.[1] ?? 0)
    if (k > 0) measured.push({ workers: k, series: measuredSeries, value: result.median, min: result.min, max: result.max })
  }
  measured.sort((a, b) => a.workers - b.workers)
  const single = measured.find((row) => row.workers === 1)
  const linear: ThroughputRow[] =
    single === undefined || measured.length < 2
      ? []
      : measured.map((row) => ({ workers: row.workers, series: linearSeries, value: row.workers * single.value, min: null, max: null }))
  return [...measured, ...linear]
}

/**
 * Symmetric around 1 in powers of two (at least 1/2 .. 2), wide enough for every row with half a
 * power of two to spare, so the value printed at the end of a bar stays inside the plot.
 */
export function relativeDomain(rows: readonly RatioRow[]): [number, number] {
  let exponent = 1
  for (const row of rows) {
    for (const end of [row.attainment, row.low, row.high]) {
      if (end !== null) exponent = Math.max(exponent, Math.ceil(Math.abs(Math.log2(end)) + 0.5))
    }
  }
  exponent = Math.min(exponent, maxExponent)
  return [2 ** -exponent, 2 ** exponent]
}

const panelWidth = 460

/** One panel of the vertical concatenation. */
type Panel = Extract<TopLevelSpec, { vconcat: unknown }>['vconcat'][number]

/** The ids of the ratios without a goal, which the goal panel leaves out. */
export function ungoaledRatios(outcomes: readonly RatioOutcome[]): string[] {
  return outcomes.filter((outcome) => outcome.goal === null).map((outcome) => outcome.id)
}

function ratiosPanel(rows: readonly RatioRow[], ungoaled: readonly string[]): Panel {
  const domain = relativeDomain(rows)
  const order = rows.map((row) => row.label)
  const y = { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 520 } } as const
  const x = {
    field: 'attainment',
    type: 'quantitative',
    scale: { type: 'log', domain, clamp: true, nice: false },
    axis: { values: powersOfTwo(domain), format: '~g', grid: true },
    title: 'value relative to goal, log scale (≥ 1 meets; "≤" goals inverted)',
  } as const
  const colour = {
    field: 'status',
    type: 'nominal',
    scale: { domain: Object.keys(statusColours), range: Object.values(statusColours) },
    legend: { title: 'verdict', orient: 'bottom', labelLimit: 320 },
  } as const
  return {
    title: {
      text: 'Ratios against their goals',
      subtitle: [
        'bar: median of same-round pairs; whisker: its confidence interval',
        ...(ungoaled.length === 0 ? [] : [`without a goal, in the tables only: ${ungoaled.join(', ')}`]),
      ],
      anchor: 'start',
    },
    width: panelWidth,
    height: { step: 22 },
    data: { values: [...rows] },
    layer: [
      {
        transform: [{ filter: 'datum.attainment != null' }],
        mark: { type: 'bar', height: 14 },
        encoding: { x, x2: { field: 'base' }, y, color: colour },
      },
      {
        transform: [{ filter: 'datum.low != null' }],
        mark: { type: 'rule', color: '#212121', strokeWidth: 1.5 },
        encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, y },
      },
      {
        transform: [{ filter: 'datum.attainment != null && datum.attainment >= 1' }],
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { x: { field: 'textAt', type: 'quantitative' }, y, text: { field: 'valueText' } },
      },
      {
        transform: [{ filter: 'datum.attainment != null && datum.attainment < 1' }],
        mark: { type: 'text', align: 'right', dx: -4 },
        encoding: { x: { field: 'textAt', type: 'quantitative' }, y, text: { field: 'valueText' } },
      },
      {
        transform: [{ filter: 'datum.attainment == null' }],
        mark: { type: 'text', align: 'left', dx: 4, fontStyle: 'italic' },
        encoding: { x: { field: 'base', type: 'quantitative' }, y, text: { field: 'valueText' }, color: colour },
      },
      {
        data: { values: [{ goal: 1 }] },
        mark: { type: 'rule', strokeWidth: 2, color: '#212121' },
        encoding: { x: { field: 'goal', type: 'quantitative' } },
      },
    ],
  }
}

function powersOfTwo([lo, hi]: [number, number]): number[] {
  const values: number[] = []
  for (let v = lo; v <= hi * (1 + 1e-9); v *= 2) values.push(v)
  return values
}

function throughputPanel(rows: readonly ThroughputRow[], unit: string): Panel {
  const title = {
    text: 'Throughput against worker count (throughput.wK)',
    subtitle: 'median of the timed runs; vertical bars: min–max',
    anchor: 'start',
  } as const
  if (rows.length === 0) {
    return {
      title,
      width: panelWidth,
      height: 40,
      data: { values: [{ text: 'no throughput.wK results in this run' }] },
      mark: { type: 'text', fontStyle: 'italic', color: '#757575' },
      encoding: { text: { field: 'text' } },
    }
  }
  const x = { field: 'workers', type: 'ordinal', title: 'workers (k)', axis: { labelAngle: 0 } } as const
  const y = { field: 'value', type: 'quantitative', title: unit, axis: { format: '~s' } } as const
  const colour = {
    field: 'series',
    type: 'nominal',
    scale: { domain: [measuredSeries, linearSeries], range: ['#1565c0', '#9e9e9e'] },
    legend: { title: null, orient: 'bottom', labelLimit: 320, symbolType: 'stroke' },
  } as const
  return {
    title,
    width: panelWidth,
    height: 220,
    data: { values: [...rows] },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y,
          color: colour,
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: { domain: [measuredSeries, linearSeries], range: [[1, 0], [6, 4]] },
            legend: { title: null, orient: 'bottom', labelLimit: 320, symbolType: 'stroke' },
          },
        },
      },
      {
        transform: [{ filter: `datum.series === '${measuredSeries}'` }],
        mark: { type: 'rule', color: '#1565c0' },
        encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' } },
      },
    ],
  }
}

/** The unit of the throughput.wK results (msg/s), for the y axis. */
function throughputUnit(results: readonly BenchmarkResult[]): string {
  return results.find((r) => throughputId.test(r.id))?.unit ?? 'msg/s'
}

/** The machine under the title, and any warning about its load. */
export function chartSubtitle(report: SuiteReport): string[] {
  const { machine, measurement } = report
  const pinned = measurement.pinnedCpus === null ? '' : `, pinned to CPU ${measurement.pinnedCpus}`
  const load = `load ${machine.loadAverage.start[0]?.toFixed(2) ?? '?'} → ${machine.loadAverage.end[0]?.toFixed(2) ?? '?'}, steal ${machine.stealPercent === null ? 'n/a' : `${machine.stealPercent.toFixed(1)}%`}`
  const lines = [`Node ${report.node}, ${report.cpus} × ${report.cpuModel}${pinned}; ${measurement.pairs} pairs per ratio; ${load}`]
  for (const warning of machine.warnings) lines.push(`warning: ${warning}`)
  return lines
}

export function chartSpec(report: SuiteReport, definitions: readonly RatioDefinition[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `troupe benchmarks — ${report.date}${report.quick ? ' (quick)' : ''}`,
      subtitle: chartSubtitle(report),
      anchor: 'start',
      offset: 16,
    },
    background: 'white',
    padding: 12,
    config: { font: 'sans-serif', view: { stroke: null } },
    vconcat: [ratiosPanel(ratioRows(report.ratios, definitions), ungoaledRatios(report.ratios)), throughputPanel(throughputRows(report.results), throughputUnit(report.results))],
    spacing: 28,
    // The two panels colour different things (status, series): separate scales and legends.
    resolve: { scale: { color: 'independent', strokeDash: 'independent' }, legend: { color: 'independent' } },
  }
}
