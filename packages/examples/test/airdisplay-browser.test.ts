// The page in a real browser: headless Chromium on a server with real workers and a real LMDB
// store. AIRDISPLAY_SCREENSHOT=1 also saves docs/examples/airdisplay.png, the screenshot in the docs.
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './helpers/browser.js'
import { startTestDisplay, type TestDisplay } from './helpers/airdisplay.js'

const SCREENSHOT = fileURLToPath(new URL('../../../docs/examples/airdisplay.png', import.meta.url))
/** Generous: the machine runs two workers, a browser and the test at once. */
const WAIT = { timeout: 20_000 }

let browser: Browser
let context: BrowserContext
beforeAll(async () => {
  browser = await launchChromium()
  // One context for every test: the packaged Chromium runs as a single process, and closing a
  // context (as `page.close()` does for a page of `browser.newPage()`) takes it down.
  // A locale of its own: without LANG, Chromium reports `en-US@posix`, which Intl refuses.
  context = await browser.newContext({ locale: 'en-US' })
}, 120_000)
afterAll(() => browser?.close())

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

// Conditions are awaited through locators, not `waitForFunction`: the page's content security
// policy forbids eval, which string predicates need (and the policy must stay on under test).
const card = (page: Page, id: string, state: 'showing' | 'empty') => page.locator(`[data-banner="${id}"][data-state="${state}"]`)

/** Opens the page of `test` and waits for its snapshot; collects console errors (a CSP violation is one). */
async function openPage(test: TestDisplay, width = 1280, height = 820): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage()
  await page.setViewportSize({ width, height })
  cleanups.push(() => page.close())
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto(test.display.url)
  await page.locator('body[data-ready="true"]').waitFor(WAIT)
  await page.locator('#status.live').waitFor(WAIT)
  return { page, problems }
}

describe('the AirDisplay page in a browser', () => {
  it('lists the fleet, shows a message posted through the API as it happens, and takes it down at expiry', async () => {
    const test = await startTestDisplay({ banners: 4, showMs: 2000 })
    cleanups.push(() => test.close())
    const { page, problems } = await openPage(test)

    const cards = page.locator('[data-banner]')
    expect(await Promise.all([0, 1, 2, 3].map((i) => cards.nth(i).getAttribute('data-banner')))).toEqual(['b-1', 'b-2', 'b-3', 'b-4'])
    expect(await cards.count()).toBe(4)
    expect(await page.locator('[data-state="empty"]').count()).toBe(4)

    const posted = await test.client.post('b-2', 'Hello from the test', 'Tester')
    if (posted.kind !== 'shown') throw new Error(`post refused: ${JSON.stringify(posted)}`)
    await card(page, 'b-2', 'showing').locator('.text', { hasText: 'Hello from the test' }).waitFor(WAIT)
    expect(await card(page, 'b-2', 'showing').locator('.by').textContent()).toMatch(/^by Tester at /)
    expect(await page.locator('[data-state="showing"]').count()).toBe(1)

    // Down when the reminder clears it, and not before (the page does not hide by its own clock).
    await card(page, 'b-2', 'empty').waitFor(WAIT)
    expect(Date.now()).toBeGreaterThanOrEqual(posted.expiresAt)
    expect((await test.client.get('b-2')).message).toBeNull()
    expect(problems).toEqual([])
  }, 60_000)

  it('shows several banners at once, and posts from its form: refused on a busy banner, shown on a free one (the docs’ screenshot with AIRDISPLAY_SCREENSHOT=1)', async () => {
    const test = await startTestDisplay({ banners: 6, showMs: 15 * 60_000 })
    cleanups.push(() => test.close())
    const messages: Array<[string, string, string]> = [
      ['b-1', 'Happy birthday, Ann!', 'Sam'],
      ['b-2', 'Free pizza at pier 39 until noon', 'Lou’s Pizzeria'],
      ['b-4', 'Marry me, Alex?', 'Jordan'],
      ['b-5', 'Sunset cruise at 7 pm, dock 4', 'Harbor Tours'],
    ]
    for (const [id, text, by] of messages) expect((await test.client.post(id, text, by)).kind).toBe('shown')
    const { page, problems } = await openPage(test, 1280, 600)
    for (const [id, text] of messages) await card(page, id, 'showing').locator('.text', { hasText: text }).waitFor(WAIT)
    expect(await page.locator('[data-state="empty"]').count()).toBe(2)

    // The page's form: refused on a busy banner (naming its message), shown on a free one.
    await page.selectOption('#banner', 'b-2')
    await page.fill('#text', 'Two for one at the pier')
    await page.fill('#by', 'Rival Pizza')
    await page.click('#post button')
    await page.locator('#result.refused', { hasText: 'b-2 is busy with “Free pizza at pier 39 until noon” until' }).waitFor(WAIT)
    expect((await test.client.get('b-2')).message?.by).toBe('Lou’s Pizzeria')
    await page.selectOption('#banner', 'b-3')
    await page.fill('#text', 'Lifeguards wanted, apply at tower 2')
    await page.fill('#by', 'Beach Patrol')
    await page.click('#post button')
    await page.locator('#result.ok', { hasText: 'Flying on b-3 until' }).waitFor(WAIT)
    await card(page, 'b-3', 'showing').locator('.text', { hasText: 'Lifeguards wanted' }).waitFor(WAIT)
    expect((await test.client.get('b-3')).message?.by).toBe('Beach Patrol')
    expect(await page.locator('[data-state="showing"]').count()).toBe(5)
    // The one console error expected: the browser logs the 409 of the refused post.
    expect(problems.filter((problem) => !problem.includes('status of 409'))).toEqual([])
    if (process.env.AIRDISPLAY_SCREENSHOT === '1') await page.screenshot({ path: SCREENSHOT, fullPage: true })
  }, 60_000)
})
