// The uneven job of routing.uneven.*: a busy spin of a given length. Also piscina's task module
// (its compiled .js is the pool's filename), so the routers and the pool run the same code.

/** Spins for `ms` of wall time on this thread and returns `id`, so every reply is tied to its job. */
export function spinJob(input: { id: number; ms: number }): number {
  const until = performance.now() + input.ms
  while (performance.now() < until) {
    // busy: the job occupies its thread, as CPU-bound work does
  }
  return input.id
}

export const HEAVY_MS = 4
export const LIGHT_MS = 0.5

/**
 * Job `id` is heavy when `id % lanes === 0`: with `lanes` routees, round-robin hands every heavy
 * job to the same one, the worst case for routing that ignores load and the case work stealing
 * (or a shared queue) exists for.
 */
export function jobCost(id: number, lanes: number): number {
  return id % lanes === 0 ? HEAVY_MS : LIGHT_MS
}

export default spinJob
