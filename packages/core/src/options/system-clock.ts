/**
 * Marks a clock a system can run on instead of real time. The symbol is registered (`Symbol.for`)
 * so that a clock made by one copy of troupe is recognised by another in the same process.
 */
export const MANUAL_CLOCK_BRAND: unique symbol = Symbol.for('troupe.manual-clock') as never

/**
 * What the `clock` option takes: a `ManualClock` from `troupe/testkit`. Its `buffer` holds the
 * time, shared with every thread of the system.
 */
export interface ActorSystemClock {
  readonly [MANUAL_CLOCK_BRAND]: true
  readonly buffer: SharedArrayBuffer
  now(): number
  advance(ms: number): Promise<void>
}

export function isSystemClock(value: unknown): value is ActorSystemClock {
  return typeof value === 'object' && value !== null && (value as { [MANUAL_CLOCK_BRAND]?: unknown })[MANUAL_CLOCK_BRAND] === true && (value as { buffer?: unknown }).buffer instanceof SharedArrayBuffer
}
