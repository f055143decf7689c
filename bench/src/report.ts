// Turns results and ratio outcomes into the tables shown on stdout and stored in latest.md.
import type { Unavailable } from './availability.js'
import { formatFigure, withSiPrefix } from './format.js'
import type { BenchmarkResult } from './harness.js'
import { ratioExpression } from './ratios.js'
import type { RatioDefinition, RatioOutcome } from './ratios.js'
import type { Table } from './table.js'

export function resultsTable(results: readonly BenchmarkResult[]): Table {
  return {
    headers: ['id', 'unit', 'median', 'min', 'max', 'runs'],
    align: ['left', 'left', 'right', 'right', 'right', 'right'],
    rows: results.map((r) => [
      r.id,
      r.unit,
      formatFigure(r.median, r.unit),
      formatFigure(r.min, r.unit),
      formatFigure(r.max, r.unit),
      String(r.runs),
    ]),
  }
}

/** The selected benchmarks this machine could not run, with the reason (see availability.ts). */
export function skippedTable(skipped: readonly Unavailable[]): Table {
  return { headers: ['skipped', 'reason'], align: ['left', 'left'], rows: skipped.map(({ id, reason }) => [id, reason]) }
}

function expression(definition: RatioDefinition | undefined): string {
  return definition === undefined ? '?' : ratioExpression(definition)
}

/** The verdict as shown: "not met" in capitals so it stands out in a column of "met". */
export function verdictText(outcome: RatioOutcome): string {
  return outcome.verdict === 'not met' ? 'NOT met' : outcome.verdict
}

export function ratiosTable(outcomes: readonly RatioOutcome[], definitions: readonly RatioDefinition[]): Table {
  const byId = new Map(definitions.map((d) => [d.id, d]))
  return {
    headers: ['ratio', 'of', 'value', 'interval', 'pairs', 'goal', 'verdict'],
    align: ['left', 'left', 'right', 'right', 'right', 'left', 'left'],
    rows: outcomes.map((o) => [
      o.id,
      expression(byId.get(o.id)),
      o.value === null ? 'missing' : withSiPrefix(o.value),
      o.interval === null ? '' : `${withSiPrefix(o.interval[0])} – ${withSiPrefix(o.interval[1])}`,
      String(o.pairs),
      o.goal === null ? '—' : `${o.goal.op} ${withSiPrefix(o.goal.value)}`,
      verdictText(o),
    ]),
  }
}
