// The dashboard in a real browser: a system with two real workers, the page opened in headless
// Chromium, and a worker killed for real (process.exit inside it) while the page watches.
// TROUPE_SCREENSHOT=1 also saves docs/images/dashboard.png, the screenshot in the docs.
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Counter } from './fixtures/counter.js'
import { Saboteur } from './fixtures/saboteur.js'
import { launchChromium } from './helpers/browser.js'
import { fixture, FIXTURE_ACTORS, startSystem } from './helpers/system.js'

const SCREENSHOT = new URL('../../../docs/images/dashboard.png', import.meta.url)
/** Generous: the machine runs two workers, a browser and the test at once. */
const WAIT = { timeout: 20_000 }

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
})

// Conditions are polled from here through locators (`expect.poll`), not with string predicates
// of `waitForFunction`: the page's content policy forbids eval, which those need.

/** A figure of a thread's card, exact (`data-value`; the text is rounded for people). */
const figure = async (page: Page, thread: number, name: string): Promise<number> => Number(await page.locator(`.thread[data-thread="${thread}"] [data-figure="${name}"]`).getAttribute('data-value'))

describe('the dashboard page', () => {
  it('shows every thread with live figures, and a killed worker as crashed, then replaced', async () => {
    const system = await startSystem({ workers: 2, actors: [...FIXTURE_ACTORS, fixture('saboteur.ts')] })
    const counters = await Promise.all([0, 1].map((worker) => system.spawn(Counter, { name: `counter-${worker + 1}`, placement: { worker } })))
    const victim = await system.spawn(Saboteur, { name: 'saboteur', placement: { worker: 1 } })
    // Steady traffic, so that throughput and the processed counts move while the page watches.
    const load = setInterval(() => {
      for (const counter of counters) for (let i = 0; i < 500; i++) counter.tell.inc()
    }, 20)
    const dashboard = await system.serveDashboard({ intervalMs: 250 })
    // A locale of its own: without LANG, Chromium reports `en-US@posix`, which Intl (and so uPlot) refuses.
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 }, locale: 'en-US' })
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    try {
      await page.goto(dashboard.url)
      await page.locator('#connection[data-state="live"]').waitFor(WAIT)

      // Every thread has its card, up, with charts drawn by uPlot.
      const cards = page.locator('.thread')
      expect(await Promise.all([0, 1, 2].map((i) => cards.nth(i).getAttribute('data-thread')))).toEqual(['0', '1', '2'])
      expect(await cards.count()).toBe(3)
      for (const thread of [0, 1, 2]) {
        await page.locator(`.thread[data-thread="${thread}"][data-status="up"]`).waitFor(WAIT)
        expect(await page.locator(`.thread[data-thread="${thread}"] .uplot canvas`).count()).toBe(2)
      }
      // Figures update with each sample: the processed counts of both workers grow.
      const samples = (thread: number) => page.locator(`.thread[data-thread="${thread}"]`).getAttribute('data-samples').then(Number)
      await expect.poll(async () => Math.min(...(await Promise.all([0, 1, 2].map(samples)))), WAIT).toBeGreaterThanOrEqual(2)
      const before = [await figure(page, 1, 'processed'), await figure(page, 2, 'processed')]
      await expect.poll(() => figure(page, 1, 'processed'), WAIT).toBeGreaterThan(before[0]!)
      await expect.poll(() => figure(page, 2, 'processed'), WAIT).toBeGreaterThan(before[1]!)
      expect(await figure(page, 1, 'throughput')).toBeGreaterThan(0)
      expect(await page.locator('#actors-per-thread tbody tr').count()).toBe(3)
      await page.locator(`#tree [data-actor="${victim.id}"]`).waitFor(WAIT)
      expect(await page.locator(`#tree [data-actor="${victim.id}"]`).textContent()).toContain('Saboteur "saboteur"')

      // Record every state the card of worker 2 goes through, however briefly.
      await page.evaluate(`{
        const card = document.querySelector('.thread[data-thread="2"]')
        window.statusLog = []
        new MutationObserver(() => window.statusLog.push(card.dataset.status)).observe(card, { attributes: true, attributeFilter: ['data-status'] })
      }`)
      victim.tell.exitProcess(3)

      await expect.poll(() => page.evaluate('window.statusLog'), WAIT).toContain('crashed')
      await page.locator('#events li[data-type="worker-crashed"][data-thread="2"]').waitFor(WAIT)
      expect(await page.locator('#events li[data-type="worker-crashed"][data-thread="2"]').textContent()).toContain('worker 2 crashed: exited with code 3')
      await page.locator('#events li[data-type="worker-replaced"][data-thread="2"]').waitFor(WAIT)
      await page.locator('#events li[data-type="worker-recovered"][data-thread="2"]').waitFor(WAIT)
      // Back up as generation 1, the crash counted and kept on the card.
      await page.locator('.thread[data-thread="2"][data-status="up"][data-generation="1"][data-crashes="1"]').waitFor(WAIT)
      const statuses = (await page.evaluate('window.statusLog')) as string[]
      expect(statuses.indexOf('crashed')).toBeLessThan(statuses.lastIndexOf('up'))
      expect(await page.locator('.thread[data-thread="2"] .incident').textContent()).toMatch(/worker 2 crashed: exited with code 3 → replaced/)
      // The replacement's figures move again: its actors were restarted and the load reaches them.
      await expect.poll(() => figure(page, 2, 'processed'), WAIT).toBeGreaterThan(0)
      expect(await page.locator('#events li[data-type="actor-restarted"]').count()).toBeGreaterThanOrEqual(1)

      if (process.env['TROUPE_SCREENSHOT'] === '1') {
        await mkdir(new URL('.', SCREENSHOT), { recursive: true })
        await page.screenshot({ path: fileURLToPath(SCREENSHOT), fullPage: true })
      }
      // The page loaded nothing the content policy refused, and threw nothing.
      expect(problems).toEqual([])
    } finally {
      clearInterval(load)
      await page.close()
      await dashboard.close()
    }
  }, 90_000)
})
