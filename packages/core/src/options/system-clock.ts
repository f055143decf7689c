/**
 * Marks a clock a system can run on instead of real time. The symbol is registered (`Symbol.for`)
 * so that a clock made by one copy of troupe is recognised by another in the same process.
 */
export const MANUAL_CLOCK_BRAND = Symbol.for('troupe.manual-clock')

/**
 * What the `clock` option takes: a `ManualClock` from `troupe/testkit` (recognised by a brand it
 * carries, not by its shape). Its `buffer` holds the time, shared with every thread of the system.
 */
export interface ActorSystemClock {
  readonly buffer: SharedArrayBuffer
  now(): number
  advance(ms: number): Promise<void>
}

export function isSystemClock(value: unknown): value is ActorSystemClock {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MANUAL_CLOCK_BRAND] === true && (value as { buffer?: unknown }).buffer instanceof SharedArrayBuffer
}
