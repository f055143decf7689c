import { describe, expect, it } from 'vitest'
import { Echo } from './fixtures/actors.js'
import { startSystem } from './helpers/system.js'

describe('system.stats()', () => {
  it('reports utilisation over the caller’s own window, unaffected by the load reports in between', async () => {
    const system = await startSystem({ workers: 2, loadReportIntervalMs: 20 })
    const echo = await system.spawn(Echo, { placement: { worker: 0 } })
    await system.stats() // opens the window
    await echo.ask.spin(300) // busy
    await echo.ask.idle(300) // idle, while the worker keeps sending load reports
    const { threads } = await system.stats()
    const [main, first, second] = threads
    expect(threads.map((t) => [t.thread, t.kind])).toEqual([
      [0, 'main'],
      [1, 'worker'],
      [2, 'worker'],
    ])
    expect(first!.utilization).toBeGreaterThan(0.3)
    expect(first!.utilization).toBeLessThan(0.9)
    expect(second!.utilization).toBeLessThan(first!.utilization)
    expect(first!.actors).toBe(1)
    expect(first!.processed).toBeGreaterThanOrEqual(2)
    expect(main!.sampledAt).toBeGreaterThan(Date.now() - 60_000)
  })
})
