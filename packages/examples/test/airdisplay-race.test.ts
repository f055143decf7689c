import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostOutcome } from '../src/airdisplay/client.js'
import { FeedObserver } from '../src/airdisplay/feed-observer.js'
import { startTestDisplay, type TestDisplay } from './helpers/airdisplay.js'

// Long enough that no message expires during the test: every refusal must be a real conflict.
const SHOW_MS = 120_000
let test: TestDisplay
let feed: FeedObserver

beforeAll(async () => {
  test = await startTestDisplay({ banners: 12, showMs: SHOW_MS })
  feed = await FeedObserver.connect(test.display.url)
})
afterAll(async () => {
  feed?.close()
  await test?.close()
})

type Shown = Extract<PostOutcome, { kind: 'shown' }>
type Refused = Extract<PostOutcome, { kind: 'refused' }>

/** Splits the outcomes of posts to one banner, failing on anything other than 201 and 409. */
function settle(outcomes: readonly PostOutcome[]): { shown: Shown[]; refused: Refused[] } {
  expect(outcomes.filter((o) => o.kind === 'error')).toEqual([])
  return { shown: outcomes.filter((o): o is Shown => o.kind === 'shown'), refused: outcomes.filter((o): o is Refused => o.kind === 'refused') }
}

describe('airdisplay: concurrent posts to one banner (the Dapr tutorial’s race)', () => {
  it('of 50 posts at once exactly one is shown; the 49 others are refused naming it; the banner holds it', async () => {
    const posts = Array.from({ length: 50 }, (_, i) => test.client.post('b-1', `Marry me, Alex? #${i}`, `suitor-${i}`))
    const { shown, refused } = settle(await Promise.all(posts))
    expect(shown).toHaveLength(1)
    expect(refused).toHaveLength(49)
    const winner = shown[0]!.message
    for (const refusal of refused) expect(refusal.showing).toEqual({ text: winner.text, by: winner.by, expiresAt: winner.expiresAt })
    expect(await test.client.get('b-1')).toEqual({ id: 'b-1', version: 1, message: winner })
    // One change, so one update on the feed: refused posts publish nothing.
    const update = await feed.waitForUpdate('b-1', 'posted', 5000)
    expect(update).toEqual({ id: 'b-1', version: 1, message: winner, change: 'posted' })
  })

  it('races on ten banners at once are settled per banner: one winner each, refusals name their own banner’s winner', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `b-${i + 3}`)
    const rounds = await Promise.all(ids.map((id) => Promise.all(Array.from({ length: 10 }, (_, i) => test.client.post(id, `${id} message ${i}`, `poster-${i}`)))))
    const shownTexts = await Promise.all(
      ids.map(async (id, i) => {
        const { shown, refused } = settle(rounds[i]!)
        expect(shown, id).toHaveLength(1)
        expect(refused, id).toHaveLength(9)
        const winner = shown[0]!.message
        expect(winner.text.startsWith(`${id} `), id).toBe(true)
        for (const refusal of refused) expect(refusal.showing.text, id).toBe(winner.text)
        expect((await test.client.get(id)).message, id).toEqual(winner)
        return winner.text
      }),
    )
    expect(new Set(shownTexts).size).toBe(10)
    for (const id of ids) await feed.waitForUpdate(id, 'posted', 5000)
    // Every update the feed got is one of the winners: eleven posted updates, no others.
    expect(feed.updates.map((u) => `${u.id} ${u.change} v${u.version}`).sort()).toEqual(['b-1', ...ids].map((id) => `${id} posted v1`).sort())
  })
})
