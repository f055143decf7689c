// Savina's Trapezoidal Approximation (fixtures/trapezoid.ts) on every worker: 40 M pieces over
// 100 worker actors spread round the workers, each handler a few tens of ms of pure CPU (several
// seconds per worker in all), the sum checked against an independent reference. It must finish
// without any worker being taken for hung (issue 10).
import { availableParallelism } from 'node:os'
import { expect, it } from 'vitest'
import { fx, L, R, TrapezoidMaster, TrapezoidWorker } from './fixtures/trapezoid.js'
import { fixture, startSystem } from './helpers/system.js'

/** Savina's N is 10 M; the case is 40 M. TROUPE_TRAPEZOID_PIECES overrides it (e.g. on a slow machine). */
const PIECES = Number(process.env.TROUPE_TRAPEZOID_PIECES ?? 40_000_000)
/** Savina's W. */
const WORKER_ACTORS = 100
const WORKERS = Math.max(2, availableParallelism())

/**
 * Composite Simpson's rule, 2·10^5 intervals: a different method whose error (h⁴ terms, h = 2·10⁻⁵)
 * is far below 1e-6 relative, as is the 40 M-piece trapezoid's (h² terms, h = 10⁻⁷). Measured on
 * the development machine, the two agree to ~1e-11.
 */
function simpson(a: number, b: number, intervals: number): number {
  const h = (b - a) / intervals
  let sum = fx(a) + fx(b)
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * fx(a + i * h)
  return (sum * h) / 3
}

it(
  `integrates ${PIECES / 1e6} M pieces on ${WORKER_ACTORS} actors over all ${WORKERS} workers, matching the reference to 1e-6`,
  async () => {
    const system = await startSystem({ workers: WORKERS, actors: [fixture('trapezoid.ts')], askTimeoutMs: 110_000, stopTimeoutMs: 5_000 })
    // Fail at the first sign of a hang or crash, rather than when the ask times out.
    const trouble = new Promise<never>((_, reject) => {
      system.events.subscribe((event) => {
        if (event.type === 'worker-hung' || event.type === 'worker-crashed' || event.type === 'actor-failed') reject(new Error(`unexpected ${event.type}: ${JSON.stringify(event)}`))
      })
    })
    const master = await system.spawn(TrapezoidMaster, { placement: 'main' })
    const workers = await Promise.all(Array.from({ length: WORKER_ACTORS }, (_, i) => system.spawn(TrapezoidWorker, { placement: { worker: i % WORKERS } })))

    const result = await Promise.race([master.ask.integrate(workers, PIECES), trouble])

    expect(result.parts).toBe(WORKER_ACTORS)
    expect(result.threads).toEqual(Array.from({ length: WORKERS }, (_, i) => i + 1))
    const reference = simpson(L, R, 200_000)
    expect(Math.abs(result.area - reference) / Math.abs(reference)).toBeLessThan(1e-6)
  },
  // 4 M pieces took ~2 s on the loaded 2-core development VM, so 40 M take ~20 s; the bound is generous.
  120_000,
)
