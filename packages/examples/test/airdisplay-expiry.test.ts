import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../src/airdisplay/client.js'
import { FeedObserver } from '../src/airdisplay/feed-observer.js'
import type { BannerMessage } from '../src/airdisplay/types.js'
import { startTestDisplay, tempStore, type TestDisplay } from './helpers/airdisplay.js'

const SHOW_MS = 300
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

/**
 * Reads banner `id` until its message is gone, checking that until then it is `message`
 * unchanged; returns when it was first seen gone: the time just after that read's answer, so a
 * message taken down early shows as `goneAt < expiresAt`.
 */
function watchUntilCleared(test: TestDisplay, id: string, message: BannerMessage): Promise<number> {
  return waitFor(`${id}'s message to come down`, message.expiresAt - Date.now() + 10_000, async () => {
    const { message: now } = await test.client.get(id)
    if (now === null) return Date.now()
    expect(now).toEqual(message)
    return undefined
  }, 20)
}

describe('airdisplay: a message comes down when its reminder fires', () => {
  it(`after showMs (${SHOW_MS} ms) the message disappears, the feed is told, and a new post is accepted`, async () => {
    const test = await startTestDisplay({ banners: 3, showMs: SHOW_MS })
    cleanups.push(() => test.close())
    const feed = await FeedObserver.connect(test.display.url)
    cleanups.push(() => feed.close())

    const posted = await test.client.post('b-2', 'Sale at the boardwalk', 'Kim')
    if (posted.kind !== 'shown') throw new Error(`post refused: ${JSON.stringify(posted)}`)
    expect(posted.expiresAt - posted.message.postedAt).toBe(SHOW_MS)
    // Refused while up: the reminder, not a read of the clock, makes room.
    expect((await test.client.post('b-2', 'Too soon', 'Lee')).kind).toBe('refused')

    expect(await watchUntilCleared(test, 'b-2', posted.message)).toBeGreaterThanOrEqual(posted.expiresAt)
    expect(await test.client.get('b-2')).toEqual({ id: 'b-2', version: 2, message: null })
    expect(await feed.waitForUpdate('b-2', 'cleared', 5000)).toEqual({ id: 'b-2', version: 2, message: null, change: 'cleared' })

    const again = await test.client.post('b-2', 'Too soon, no longer', 'Lee')
    expect(again.kind).toBe('shown')
    expect((await test.client.get('b-2')).version).toBe(3)
  })

  it('a message posted before a restart still comes down after it: the reminder is in the store', async () => {
    const store = tempStore()
    cleanups.push(() => store.remove())
    const showMs = 3000
    const before = await startTestDisplay({ banners: 2, showMs, storePath: store.path })
    const posted = await before.client.post('b-1', 'Back in five', 'Ops')
    if (posted.kind !== 'shown') throw new Error(`post refused: ${JSON.stringify(posted)}`)
    await before.close(true)
    // Reopened before the message is due (3 s is far more than a restart takes; checked below).
    const after = await startTestDisplay({ banners: 2, showMs, storePath: store.path })
    cleanups.push(() => after.close(true))
    expect(Date.now()).toBeLessThan(posted.expiresAt)
    expect((await after.client.get('b-1')).message).toEqual(posted.message)
    expect(await watchUntilCleared(after, 'b-1', posted.message)).toBeGreaterThanOrEqual(posted.expiresAt)
    expect((await after.client.post('b-1', 'Back again', 'Ops')).kind).toBe('shown')
  })
})
