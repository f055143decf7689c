// Numbers for people: "2.31 M", "98%", "10.0 s", and columns that line up.

const SI_PREFIXES: ReadonlyArray<readonly [number, string]> = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
]

function threeSignificant(value: number): string {
  const magnitude = Math.abs(value)
  if (magnitude >= 100) return value.toFixed(0)
  if (magnitude >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

/** "23.0 M", "812 k", "17". */
export function compact(value: number): string {
  for (const [factor, prefix] of SI_PREFIXES) {
    if (Math.abs(value) >= factor) return `${threeSignificant(value / factor)} ${prefix}`
  }
  return Number.isInteger(value) ? String(value) : threeSignificant(value)
}

/** "2.31 M/s". */
export function perSecond(value: number): string {
  return `${compact(value)}/s`
}

/** "98%" from 0.98. */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`
}

/** "49.9%" from 0.499, for shares that should visibly add up to 100. */
export function share(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`
}

/** "20,000,000": exact figures, where the point is that they match. */
export function exact(value: number): string {
  return value.toLocaleString('en-US')
}

export type Alignment = 'left' | 'right'

export interface Column {
  readonly width: number
  readonly align: Alignment
}

/** One line of fixed-width columns, two spaces apart. */
export function row(columns: readonly Column[], cells: readonly string[]): string {
  return columns
    .map((column, i) => {
      const cell = cells[i] ?? ''
      return column.align === 'right' ? cell.padStart(column.width) : cell.padEnd(column.width)
    })
    .join('  ')
    .trimEnd()
}

/** A rule under a header row of the same columns. */
export function rule(columns: readonly Column[]): string {
  return columns.map((column) => '-'.repeat(column.width)).join('  ')
}

/** A thread as the examples print it: `main`, or `worker N`. */
export function threadName(thread: number): string {
  return thread === 0 ? 'main' : `worker ${thread}`
}
