import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AirDisplayClient, waitFor, type PostOutcome } from './client.js'
import { FeedObserver } from './feed-observer.js'
import { startAirDisplay } from './server.js'

export interface AirDisplayRunOptions {
  readonly log: (line: string) => void
  /** Worker threads. Default 2. */
  readonly workers?: number
  /** How long a message shows. Default 2 000 ms: short, so the run sees messages expire, yet enough for the posts meant to find it up. */
  readonly showMs?: number
  /** Posts racing for one banner. Default 20. */
  readonly racers?: number
}

export interface Check {
  readonly id: 'post' | 'no-overwrite' | 'race' | 'validation' | 'expiry' | 'feed' | 'repost'
  readonly passed: boolean
  readonly detail: string
}

export interface AirDisplayRunResult {
  readonly ok: boolean
  readonly checks: readonly Check[]
}

const describe = (outcome: PostOutcome): string =>
  outcome.kind === 'shown' ? `201, shows until +${outcome.expiresAt - outcome.message.postedAt} ms` : outcome.kind === 'refused' ? `409, showing “${outcome.showing.text}”` : `${outcome.status}: ${outcome.error}`

/**
 * The scripted tour: starts a server on a free port with a fresh store in a temp folder, drives
 * it through its own HTTP API and live feed (a post, a second post that must be refused, a race
 * of many posts for one banner, bad requests, the wait for expiry, a new post after it), checks
 * every answer, and shuts down.
 */
export async function runAirDisplay(options: AirDisplayRunOptions): Promise<AirDisplayRunResult> {
  const { log, workers = 2, showMs = 2000, racers = 20 } = options
  const started = Date.now()
  const at = (): string => `[${((Date.now() - started) / 1000).toFixed(2).padStart(5)} s]`
  const storePath = mkdtempSync(join(tmpdir(), 'troupe-airdisplay-'))
  const display = await startAirDisplay({ banners: 4, showMs, storePath, workers })
  const checks: Check[] = []
  const check = (id: Check['id'], passed: boolean, detail: string): void => void checks.push({ id, passed, detail })
  let feed: FeedObserver | undefined
  try {
    const client = new AirDisplayClient(display.url)
    log(`AirDisplay on ${display.url} (${display.fleet.length} banners, ${workers} workers, messages show ${showMs} ms, store ${storePath})`)
    feed = await FeedObserver.connect(display.url)
    log(`${at()} a feed client connected and got the snapshot: ${(await client.list()).map((b) => `${b.id} ${b.message === null ? 'free' : 'busy'}`).join(', ')}`)

    const first = await client.post('b-1', 'Happy birthday, Ann!', 'Sam')
    log(`${at()} POST b-1 “Happy birthday, Ann!” → ${describe(first)}`)
    check('post', first.kind === 'shown' && (await client.get('b-1')).message?.text === 'Happy birthday, Ann!', `b-1 took the first message and shows it`)
    const second = await client.post('b-1', 'Free pizza at pier 39', 'Lou')
    log(`${at()} POST b-1 “Free pizza at pier 39” → ${describe(second)}`)
    check('no-overwrite', second.kind === 'refused' && second.showing.text === 'Happy birthday, Ann!', 'a second message while one shows is refused (409), naming the one showing')

    const race = await Promise.all(Array.from({ length: racers }, (_, i) => client.post('b-2', `Race entry #${i + 1}`, `racer-${i + 1}`)))
    const winners = race.flatMap((outcome) => (outcome.kind === 'shown' ? [outcome] : []))
    const refusals = race.flatMap((outcome) => (outcome.kind === 'refused' ? [outcome] : []))
    const shown = (await client.get('b-2')).message
    const winner = winners[0]?.message
    log(`${at()} ${racers} posts to b-2 at once → ${winners.length} × 201 (${winner?.by ?? 'none'}: “${winner?.text ?? ''}”), ${refusals.length} × 409`)
    check(
      'race',
      winners.length === 1 && refusals.length === racers - 1 && refusals.every((r) => r.showing.text === winner?.text && r.showing.expiresAt === winner.expiresAt) && shown?.text === winner?.text,
      `of ${racers} concurrent posts to one banner exactly one was shown; every other was refused naming it, and the banner shows it`,
    )

    const bad = [
      { what: 'a malformed id', outcome: await client.post('B_2', 'hi', 'me'), status: 400 },
      { what: 'a banner not in the fleet', outcome: await client.post('b-99', 'hi', 'me'), status: 404 },
      { what: 'a text of 281 characters', outcome: await client.post('b-3', 'x'.repeat(281), 'me'), status: 400 },
      { what: 'an empty signature', outcome: await client.post('b-3', 'hi', '  '), status: 400 },
    ]
    for (const { what, outcome } of bad) log(`${at()} POST with ${what} → ${describe(outcome)}`)
    check('validation', bad.every(({ outcome, status }) => outcome.status === status) && (await client.get('b-3')).message === null, 'bad requests are refused with 400/404 and a reason, and change nothing')

    log(`${at()} waiting for the expiry reminders of b-1 and b-2…`)
    const expiries = [{ id: 'b-1', expiresAt: first.kind === 'shown' ? first.expiresAt : Date.now() }, { id: 'b-2', expiresAt: winner?.expiresAt ?? Date.now() }]
    const cleared = await Promise.all(
      expiries.map(async ({ id, expiresAt }) => {
        const clearedAt = await waitFor(`${id} to be cleared`, expiresAt - Date.now() + 10_000, async () => ((await client.get(id)).message === null ? Date.now() : undefined))
        log(`${at()} ${id} is clear, ${clearedAt - expiresAt} ms after its expiresAt`)
        return clearedAt >= expiresAt
      }),
    )
    check('expiry', cleared.every(Boolean), 'each message came down by its reminder, and was still up whenever read before its expiresAt')

    const updates = await Promise.all(['b-1', 'b-2'].flatMap((id) => [feed!.waitForUpdate(id, 'posted', 5000), feed!.waitForUpdate(id, 'cleared', 5000)]))
    log(`${at()} the feed told: ${feed.updates.map((u) => `${u.id} ${u.change} (v${u.version})`).join(', ')}`)
    check('feed', updates.length === 4 && feed.updates.length === 4, 'the feed client heard each post and each expiry once, from the banners’ topic')

    const again = await client.post('b-1', 'Free pizza at pier 39', 'Lou')
    log(`${at()} POST b-1 “Free pizza at pier 39” again → ${describe(again)}`)
    check('repost', again.kind === 'shown', 'once the message is down, the banner takes a new one')
  } finally {
    feed?.close()
    await display.close()
    rmSync(storePath, { recursive: true, force: true })
  }
  log('Checks')
  for (const { passed, detail } of checks) log(`  ${passed ? 'ok  ' : 'FAIL'} ${detail}`)
  const ok = checks.length === 7 && checks.every((c) => c.passed)
  log(ok ? `PASS: all ${checks.length} checks` : `FAIL: ${checks.filter((c) => !c.passed).length} of ${checks.length} checks failed`)
  return { ok, checks }
}
