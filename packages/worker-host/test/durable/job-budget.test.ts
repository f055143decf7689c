import { describe, expect, it } from 'vitest'
import { AGING_MS, JobBudget } from '../../src/durable/job-budget.js'

describe('the node job budget', () => {
  it('grants at once without a limit', async () => {
    const budget = new JobBudget()
    await Promise.all([budget.request('low').granted, budget.request('high').granted])
    expect(budget.running).toBe(2)
  })

  it('with a limit, a freed slot goes to the best priority, the oldest among equals', async () => {
    let now = 0
    const budget = new JobBudget(() => now)
    budget.limit = 1
    await budget.request('normal').granted
    const order: string[] = []
    const wait = (label: string, priority: 'high' | 'normal' | 'low') => void budget.request(priority).granted.then(() => order.push(label))
    wait('low', 'low')
    wait('normal-a', 'normal')
    wait('high', 'high')
    wait('normal-b', 'normal')
    for (let i = 0; i < 4; i++) {
      budget.release()
      await Promise.resolve()
    }
    expect(order).toEqual(['high', 'normal-a', 'normal-b', 'low'])
  })

  it('a low job is not starved: waiting promotes it one level per AGING_MS', async () => {
    let now = 0
    const budget = new JobBudget(() => now)
    budget.limit = 1
    await budget.request('high').granted
    let lowRan = false
    void budget.request('low').granted.then(() => (lowRan = true))
    // A steady flow of high jobs, each arriving just before the slot frees, each taking 100 ms.
    let highs = 0
    while (!lowRan) {
      void budget.request('high').granted.then(() => highs++)
      now += 100
      budget.release()
      await Promise.resolve()
      await Promise.resolve()
      if (now > 10 * AGING_MS) break
    }
    expect(lowRan).toBe(true)
    // Two levels up (low → high) and older than the newest high: taken within about 2 × AGING_MS.
    expect(now).toBeLessThanOrEqual(2 * AGING_MS + 100)
    expect(highs).toBeGreaterThan(0)
  })

  it('a cancelled request leaves the queue; a higher limit grants waiting requests', async () => {
    const budget = new JobBudget()
    budget.limit = 1
    await budget.request('normal').granted
    const cancelled = budget.request('high')
    let granted = false
    void budget.request('low').granted.then(() => (granted = true))
    expect(cancelled.cancel()).toBe(true)
    budget.limit = 2
    await Promise.resolve()
    expect(granted).toBe(true)
    expect(budget.waiting).toBe(0)
  })
})
