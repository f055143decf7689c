// Human-readable numbers: "6.71 M msg/s", "38.2 µs", "1.23".

const siPrefixes: ReadonlyArray<readonly [number, string]> = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
]

/** Three significant digits without switching to exponent notation. */
export function threeSignificant(value: number): string {
  const magnitude = Math.abs(value)
  if (magnitude >= 100) return value.toFixed(0)
  if (magnitude >= 10) return value.toFixed(1)
  if (magnitude >= 1) return value.toFixed(2)
  return value.toPrecision(3)
}

/** Scales by the largest fitting SI prefix; returns e.g. "6.71 M" (or "123" when unscaled). */
export function withSiPrefix(value: number): string {
  for (const [factor, prefix] of siPrefixes) {
    if (Math.abs(value) >= factor) return `${threeSignificant(value / factor)} ${prefix}`
  }
  return threeSignificant(value)
}

/** Rates (units ending in "/s") get SI prefixes; microseconds print as µs; anything else plainly. */
export function formatFigure(value: number, unit: string): string {
  if (unit.endsWith('/s')) return `${withSiPrefix(value)} ${unit}`
  if (unit === 'us') return `${threeSignificant(value)} µs`
  return `${threeSignificant(value)} ${unit}`
}
