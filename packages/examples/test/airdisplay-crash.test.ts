// The standing server (serve.ts) as a separate process, killed with SIGKILL while concurrent
// posts pour in, then started again on the same LMDB folder.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { AirDisplayClient, waitFor, type PostOutcome } from '../src/airdisplay/client.js'
import type { BannerMessage } from '../src/airdisplay/types.js'
import { tempStore } from './helpers/airdisplay.js'

const SERVE = fileURLToPath(new URL('../src/airdisplay/serve.ts', import.meta.url))
const BANNERS = 120
/** Posts racing for each banner, all at once: one wins, the others are refused. */
const POSTERS = 4
/** Banners raced for at the same time; the storm walks the fleet in this many lanes. */
const LANES = 8
/** SIGKILL once this many posts were acknowledged (201): less than half way through the fleet, with races in flight. */
const KILL_AFTER_ACKS = 50
/**
 * Long enough that no acknowledged message expires before the restarted server is read (a start
 * takes a few seconds), short enough to wait for the expiries after it.
 */
const SHOW_MS = 15_000

const children: ChildProcess[] = []
const cleanups: Array<() => void> = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** Starts serve.ts on a free port over `store`; resolves with its process and URL once it serves. */
function startServer(store: string): Promise<{ child: ChildProcess; url: string }> {
  const args = ['--port', '0', '--store', store, '--banners', String(BANNERS), '--show-ms', String(SHOW_MS), '--workers', '2']
  const child = spawn(process.execPath, ['--conditions=troupe-source', '--import', 'tsx', SERVE, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    // A guard against a server that never starts, not a wait for a condition.
    const guard = setTimeout(() => reject(new Error('serve.ts did not print its URL within 60 s')), 60_000)
    let buffered = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const url = /^airdisplay listening on (\S+)/m.exec(buffered)?.[1]
      if (url !== undefined) {
        clearTimeout(guard)
        resolve({ child, url })
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(guard)
      reject(new Error(`serve.ts exited (${signal ?? code}) before it served`))
    })
  })
}

const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve({ code: child.exitCode, signal: child.signalCode }) : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))

interface Storm {
  /** Every 201 the test received, per banner. */
  readonly acked: Map<string, BannerMessage[]>
  /** Every 409 the test received, per banner: the text it sent and the message it was told shows. */
  readonly refused: Map<string, Array<{ sent: string; showing: Pick<BannerMessage, 'text' | 'expiresAt'> }>>
  /** Texts sent that got no answer: in flight when the server died (or sent after). */
  readonly unanswered: Set<string>
  readonly otherAnswers: PostOutcome[]
}

/**
 * Walks the fleet in `LANES` lanes: in each, a race of `POSTERS` posts (unique texts) for one
 * banner, then the next banner. The server is killed after `KILL_AFTER_ACKS` 201s; the storm
 * ends when the posts find it gone.
 */
async function storm(url: string, child: ChildProcess): Promise<Storm> {
  const client = new AirDisplayClient(url)
  const result: Storm = { acked: new Map(), refused: new Map(), unanswered: new Set(), otherAnswers: [] }
  let acks = 0
  let sequence = 0
  let gone = false
  const post = async (id: string): Promise<void> => {
    const text = `${id} #${++sequence}`
    let outcome: PostOutcome
    try {
      outcome = await client.post(id, text, 'storm')
    } catch {
      result.unanswered.add(text)
      gone = true
      return
    }
    if (outcome.kind === 'shown') {
      result.acked.set(id, [...(result.acked.get(id) ?? []), outcome.message])
      if (++acks === KILL_AFTER_ACKS) child.kill('SIGKILL')
    } else if (outcome.kind === 'refused') {
      result.refused.set(id, [...(result.refused.get(id) ?? []), { sent: text, showing: outcome.showing }])
    } else {
      result.otherAnswers.push(outcome)
    }
  }
  let next = 0
  const lane = async (): Promise<void> => {
    while (!gone && next < BANNERS) {
      const id = `b-${++next}`
      await Promise.all(Array.from({ length: POSTERS }, () => post(id)))
    }
  }
  await Promise.all(Array.from({ length: LANES }, lane))
  return result
}

describe('airdisplay after the server process is killed', () => {
  it('keeps every acknowledged post, shows nothing refused, never two messages, and still takes messages down at expiry', async () => {
    const store = tempStore()
    cleanups.push(() => store.remove())

    const first = await startServer(store.path)
    const stormStart = Date.now()
    const { acked, refused, unanswered, otherAnswers } = await storm(first.url, first.child)
    expect(await exited(first.child)).toEqual({ code: null, signal: 'SIGKILL' })
    expect(otherAnswers).toEqual([])
    const ackedCount = [...acked.values()].reduce((n, list) => n + list.length, 0)
    // Killed mid-stream: after the acknowledgements it waited for, before the fleet was done,
    // with posts in flight.
    expect(ackedCount).toBeGreaterThanOrEqual(KILL_AFTER_ACKS)
    expect(ackedCount).toBeLessThan(BANNERS)
    expect(unanswered.size).toBeGreaterThan(0)
    // The whole storm fits in one show window: a banner can have acknowledged one post at most.
    expect(Date.now() - stormStart).toBeLessThan(SHOW_MS)
    for (const [id, messages] of acked) expect(messages, `201s for ${id}`).toHaveLength(1)

    // What each banner must show: its acknowledged post, or the one a 409 named (a 409 is sent
    // after the message it names was committed, so that one is durable too). They must agree.
    const durable = new Map<string, Pick<BannerMessage, 'text' | 'expiresAt'>>()
    for (const [id, refusals] of refused) {
      const named = new Set(refusals.map((r) => `${r.showing.text}@${r.showing.expiresAt}`))
      expect(named.size, `messages the 409s of ${id} named`).toBe(1)
      durable.set(id, { text: refusals[0]!.showing.text, expiresAt: refusals[0]!.showing.expiresAt })
    }
    for (const [id, [message]] of acked) {
      if (durable.has(id)) expect(durable.get(id), id).toEqual({ text: message!.text, expiresAt: message!.expiresAt })
      durable.set(id, { text: message!.text, expiresAt: message!.expiresAt })
    }
    const refusedTexts = new Set([...refused.values()].flat().map((r) => r.sent))

    const second = await startServer(store.path)
    const client = new AirDisplayClient(second.url)
    const banners = await client.list()
    // After the answer: a message due later than this was due after the read, so must be in it.
    const readBy = Date.now()
    expect(banners).toHaveLength(BANNERS)
    for (const { id, message } of banners) {
      const expected = durable.get(id)
      if (message !== null) {
        expect(message.text.startsWith(`${id} #`), `${id} shows a text posted to it`).toBe(true)
        expect(refusedTexts.has(message.text), `${id} shows "${message.text}", which was refused`).toBe(false)
      }
      if (expected !== undefined) {
        // Acknowledged (or named by a 409): there until its expiresAt; past it, there or already down.
        if (readBy < expected.expiresAt || message !== null) expect(message && { text: message.text, expiresAt: message.expiresAt }, `${id} keeps its acknowledged message`).toEqual(expected)
      } else if (message !== null) {
        // Not acknowledged: only a post that was in flight when the process died may have landed.
        expect(unanswered.has(message.text), `${id} shows "${message.text}", never sent or answered otherwise`).toBe(true)
      }
    }
    const showing = banners.flatMap((b) => (b.message === null ? [] : [{ id: b.id, message: b.message }]))
    expect(showing.length).toBeGreaterThanOrEqual([...durable.values()].filter((m) => readBy < m.expiresAt).length)
    expect(showing.length).toBeGreaterThan(0)

    // The expiries stored before the kill fire in the new process: every message comes down,
    // none before its expiresAt.
    const goneAt = new Map<string, number>()
    const latest = Math.max(...showing.map((s) => s.message.expiresAt))
    await waitFor('every message to come down after the restart', latest - Date.now() + 15_000, async () => {
      const now = await client.list()
      const answeredAt = Date.now()
      for (const { id, message } of now) if (message === null && !goneAt.has(id)) goneAt.set(id, answeredAt)
      return showing.every((s) => goneAt.has(s.id)) ? true : undefined
    }, 100)
    for (const { id, message } of showing) expect(goneAt.get(id)!, `${id} came down`).toBeGreaterThanOrEqual(message.expiresAt)
    expect((await client.post('b-1', 'After the storm', 'test')).kind).toBe('shown')

    // The standing server stops cleanly on SIGTERM.
    second.child.kill('SIGTERM')
    expect(await exited(second.child)).toEqual({ code: 0, signal: null })
  }, 120_000)
})
