// Pure helpers shared by the Savina actor modules and their drivers (no troupe imports, so workers can load it cheaply).

/**
 * Savina's `performComputation(theta)` (ThroughputConfig, ForkJoinConfig): the small fixed
 * amount of work a fork-join handler does per message. The check defeats dead-code elimination,
 * as in Savina.
 */
export function performComputation(theta: number): number {
  const sint = Math.sin(theta)
  const res = sint * sint
  if (res <= 0) throw new Error(`unrealistic result ${res}`)
  return res
}

/** Savina's fork-join programs compute with this angle. */
export const THETA = 37.2

/**
 * A seeded PRNG (mulberry32) returning integers in [0, bound): Savina's Big seeds one
 * `java.util.Random` per actor with its id, so runs are reproducible; this plays that part.
 */
export function seededRandom(seed: number): (bound: number) => number {
  let state = seed >>> 0
  return (bound: number): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) % bound) >>> 0
  }
}
