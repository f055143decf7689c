// The scaling table as plain text for the terminal, and the number formats it and the chart share.
import type { ScalingReport } from './scaling-report.js'
import type { Interval } from './stats.js'

const prefixes: ReadonlyArray<readonly [number, string]> = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
]

/** Three significant digits without exponent notation. */
export function formatRatio(value: number): string {
  const magnitude = Math.abs(value)
  if (magnitude >= 100) return value.toFixed(0)
  if (magnitude >= 10) return value.toFixed(1)
  if (magnitude >= 1) return value.toFixed(2)
  return value.toPrecision(3)
}

/** e.g. 6.71 M, 950, 12.0 k */
export function formatRate(value: number): string {
  for (const [factor, prefix] of prefixes) if (Math.abs(value) >= factor) return `${formatRatio(value / factor)} ${prefix}`
  return formatRatio(value)
}

const interval = ([low, high]: Interval, format: (n: number) => string): string => `${format(low)}–${format(high)}`

export function scalingTable(report: ScalingReport): string {
  const percent = Math.round(report.settings.confidence * 100)
  const headers = ['workers', report.unit, `${percent}% interval`, 'speed-up', 'efficiency', `${percent}% interval`, `≥ ${formatRatio(report.settings.goal)}?`]
  const rows = report.rows.map((row) => [
    String(row.workers),
    formatRate(row.throughput.median),
    interval(row.throughput.interval, formatRate),
    row.speedup === null ? 'base' : formatRatio(row.speedup.value),
    row.efficiency === null ? '1 (base)' : formatRatio(row.efficiency.value),
    row.efficiency === null ? '' : interval(row.efficiency.interval, formatRatio),
    row.efficiency?.verdict ?? '',
  ])
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 || column >= 6 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}
