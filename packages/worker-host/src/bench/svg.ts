// The chart of a scaling report as a self-contained SVG: throughput against worker count with
// each median's confidence interval, the line of linear scaling from the base count, and each
// count's efficiency and verdict. Hand-drawn so the package needs no charting dependency.
import type { ScalingReport, ScalingRow } from './scaling-report.js'
import { formatRate, formatRatio } from './table.js'

const width = 640
const plotHeight = 280
const plotMargin = { right: 24, bottom: 56, left: 84 }
const plotWidth = width - plotMargin.left - plotMargin.right
const colours = { measured: '#1565c0', linear: '#9e9e9e', met: '#2e7d32', 'not met': '#c62828', undecided: '#ef6c00' } as const

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Round-number ticks covering [0, max]. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0]
  const raw = max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw
  const values: number[] = []
  for (let v = 0; v <= max * (1 + 1e-9) + step; v += step) {
    values.push(v)
    if (v >= max) break
  }
  return values
}

function linearFigure(row: ScalingRow, base: ScalingRow): number {
  return (base.throughput.median * row.workers) / base.workers
}

export function scalingSvg(report: ScalingReport): string {
  const rows = report.rows
  const base = rows[0]
  const parts: string[] = []
  // The header grows by a line per warning; the plot starts below it and the legend.
  const headerLines = 2 + report.machine.warnings.length
  const top = 12 + headerLines * 16 + 32
  const margin = { ...plotMargin, top }
  const height = top + plotHeight + margin.bottom
  const text = (x: number, y: number, content: string, attributes = ''): void => {
    parts.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attributes}>${escapeXml(content)}</text>`)
  }
  text(12, 22, `troupe bench — ${report.workload}`, 'font-size="16" font-weight="bold"')
  const machine = `Node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpuModel}; ${report.settings.pairs} pairs per count; ${Math.round(report.settings.confidence * 100)}% intervals`
  text(12, 40, machine, 'font-size="11" fill="#616161"')
  report.machine.warnings.forEach((warning, i) => text(12, 56 + i * 16, `warning: ${warning}`, 'font-size="11" fill="#c62828"'))
  if (base === undefined) {
    text(margin.left, margin.top + 20, 'no results', 'font-style="italic"')
    return wrap(parts, height)
  }
  const highest = Math.max(...rows.flatMap((row) => [row.throughput.interval[1], row.throughput.max, linearFigure(row, base)]))
  const yTicks = ticks(highest)
  const yMax = yTicks.at(-1) ?? highest
  const step = plotWidth / rows.length
  const x = (i: number): number => margin.left + step * (i + 0.5)
  const y = (v: number): number => margin.top + plotHeight - (v / yMax) * plotHeight
  // Axes and grid.
  for (const tick of yTicks) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#eeeeee"/>`)
    text(margin.left - 6, y(tick) + 4, tick === 0 ? '0' : formatRate(tick), 'font-size="11" text-anchor="end"')
  }
  parts.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#212121"/>`)
  parts.push(`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#212121"/>`)
  text(14, margin.top + plotHeight / 2, report.unit, `font-size="12" transform="rotate(-90 14 ${margin.top + plotHeight / 2})" text-anchor="middle"`)
  text(margin.left + plotWidth / 2, height - 12, 'workers', 'font-size="12" text-anchor="middle"')
  // Linear scaling from the base count, dashed.
  const linear = rows.map((row, i) => `${x(i).toFixed(1)},${y(linearFigure(row, base)).toFixed(1)}`).join(' ')
  parts.push(`<polyline points="${linear}" fill="none" stroke="${colours.linear}" stroke-dasharray="6 4" stroke-width="1.5"/>`)
  // Measured medians, their intervals, and each count's efficiency.
  const measured = rows.map((row, i) => `${x(i).toFixed(1)},${y(row.throughput.median).toFixed(1)}`).join(' ')
  parts.push(`<polyline points="${measured}" fill="none" stroke="${colours.measured}" stroke-width="2"/>`)
  rows.forEach((row, i) => {
    const [low, high] = row.throughput.interval
    parts.push(`<line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${y(low).toFixed(1)}" y2="${y(high).toFixed(1)}" stroke="${colours.measured}" stroke-width="6" stroke-opacity="0.35"/>`)
    parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(row.throughput.median).toFixed(1)}" r="4" fill="${colours.measured}"/>`)
    text(x(i), margin.top + plotHeight + 18, String(row.workers), 'font-size="12" text-anchor="middle"')
    const efficiency = row.efficiency
    if (efficiency !== null) {
      const verdict = efficiency.verdict ?? 'undecided'
      const label = `eff ${formatRatio(efficiency.value)} [${formatRatio(efficiency.interval[0])}–${formatRatio(efficiency.interval[1])}] ${verdict}`
      text(x(i), y(row.throughput.median) - 10, label, `font-size="11" text-anchor="middle" fill="${colours[verdict]}"`)
    }
  })
  // Legend.
  const legendY = margin.top - 18
  parts.push(`<line x1="${margin.left}" x2="${margin.left + 24}" y1="${legendY}" y2="${legendY}" stroke="${colours.measured}" stroke-width="2"/>`)
  text(margin.left + 28, legendY + 4, 'measured median (bar: interval)', 'font-size="11"')
  parts.push(`<line x1="${margin.left + 230}" x2="${margin.left + 254}" y1="${legendY}" y2="${legendY}" stroke="${colours.linear}" stroke-dasharray="6 4" stroke-width="1.5"/>`)
  text(margin.left + 258, legendY + 4, `linear scaling; goal: efficiency ≥ ${formatRatio(report.settings.goal)}`, 'font-size="11"')
  return wrap(parts, height)
}

function wrap(parts: readonly string[], height: number): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}
