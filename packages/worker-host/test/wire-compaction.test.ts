import { createDecoder } from '@troupe/core/internal'
import { describe, expect, it } from 'vitest'
import { MessageEncodeError, type DeadLetter, type SystemEvent } from '../src/index.js'
import type { Link, LinkListener } from '../src/link/link.js'
import { DELIVER_RUN, REPLY, REPLY_ERROR, REPLY_OK, REPLY_RUN, SELECTOR, type Frames } from '../src/protocol/wire.js'
import { PeerLink, type LinkOwner } from '../src/transport/peer-link.js'
import { MAX_INTERNED_SELECTORS } from '../src/transport/selector-table.js'
import { Journal, Pen } from './fixtures/journal.js'
import { startSystem } from './helpers/system.js'

/** A link that keeps what is sent on it, decoded: the frames exactly as a peer would read them. */
function capturingLink(): { link: Link; batches: Frames[] } {
  const decoder = createDecoder()
  const batches: Frames[] = []
  const link: Link = {
    open: (_listener: LinkListener) => undefined,
    send: (bytes) => batches.push(decoder.unpack(bytes) as Frames),
    share: () => undefined,
    close: () => undefined,
  }
  return { link, batches }
}

const owner: LinkOwner = { linkTouched: () => undefined, batchArrived: () => undefined, batchLost: () => undefined, batchUnencodable: () => undefined }

describe('how a batch packs messages', () => {
  it('messages in a row to one actor share a run; an ask after tells, another actor or another method starts a new frame; each method name is defined once', () => {
    // Towards the main thread (thread 0): no ledger frame, so the frames start at slot 0.
    const peer = new PeerLink(0, owner)
    const { link, batches } = capturingLink()
    peer.attach(link)
    peer.deliver(7, 3, 0, 'note', [1])
    peer.deliver(7, 3, 0, 'note', [2])
    peer.deliver(7, 3, 0, 'note', [3])
    peer.deliver(7, 3, 41, 'note', [4]) // an ask
    peer.deliver(7, 3, 0, 'note', [5])
    peer.deliver(8, 3, 0, 'note', [6]) // another actor
    peer.deliver(8, 3, 0, 'mark', ['x']) // another method
    peer.deliver(8, 3, 0, 'mark', ['y'])
    peer.deliver(8, 3, 50, 'mark', ['p']) // asks with consecutive correlations: a run of their own
    peer.deliver(8, 3, 51, 'mark', ['q'])
    peer.deliver(8, 3, 52, 'mark', ['r'])
    peer.deliver(8, 3, 54, 'mark', ['s']) // not the next correlation
    peer.flush()
    expect(batches).toEqual([
      [
        [SELECTOR, 1, 'note'],
        [DELIVER_RUN, 7, 3, 1, 3, 0, [1], [2], [3]],
        [7, 3, 41, 1, [4]],
        [7, 3, 0, 1, [5]],
        [8, 3, 0, 1, [6]],
        [SELECTOR, 2, 'mark'],
        [DELIVER_RUN, 8, 3, 2, 2, 0, ['x'], ['y']],
        [DELIVER_RUN, 8, 3, 2, 3, 50, ['p'], ['q'], ['r']],
        [8, 3, 54, 2, ['s']],
      ].flat(),
    ])
  })

  it('successful replies to consecutive asks share one frame; an error or a gap starts a new one', () => {
    const peer = new PeerLink(0, owner)
    const { link, batches } = capturingLink()
    peer.attach(link)
    peer.reply(60, REPLY_OK, 'a')
    peer.reply(61, REPLY_OK, 'b')
    peer.reply(62, REPLY_ERROR, 'failed')
    peer.reply(63, REPLY_OK, 'c')
    peer.reply(64, REPLY_OK, 'd')
    peer.reply(70, REPLY_OK, 'e')
    peer.flush()
    expect(batches).toEqual([
      [
        [REPLY_RUN, 60, 2, 'a', 'b'],
        [REPLY, 62, REPLY_ERROR, 'failed'],
        [REPLY_RUN, 63, 2, 'c', 'd'],
        [REPLY, 70, REPLY_OK, 'e'],
      ].flat(),
    ])
  })

  it('a peer that replaced the one that knew the numbers is given every name again, ahead of what waited for it', () => {
    const peer = new PeerLink(0, owner)
    const first = capturingLink()
    peer.attach(first.link)
    peer.deliver(7, 0, 0, 'note', ['a'])
    peer.flush()
    peer.detach()
    peer.deliver(7, 0, 0, 'note', ['b']) // waits: no link
    const second = capturingLink()
    peer.attach(second.link)
    expect(second.batches).toEqual([[SELECTOR, 1, 'note', 7, 0, 0, 1, ['b']]])
  })
})

describe('runs of tells between threads', () => {
  it('arrive complete and in order, with asks and tells to other actors in between', async () => {
    const system = await startSystem()
    const journal = await system.spawn(Journal, { placement: { worker: 0 } })
    const other = await system.spawn(Journal, { placement: { worker: 0 } })
    const seenByAsks: Promise<number>[] = []
    for (let i = 0; i < 3000; i++) {
      journal.tell.note(i)
      if (i % 250 === 0) other.tell.note(i)
      // Each ask sees exactly what was told before it: per-sender order holds across the runs it splits.
      if (i % 500 === 499) seenByAsks.push(journal.ask.entries().then((entries) => entries.length))
    }
    expect(await Promise.all(seenByAsks)).toEqual([500, 1000, 1500, 2000, 2500, 3000])
    expect(await journal.ask.entries()).toEqual(Array.from({ length: 3000 }, (_, i) => i))
    expect(await other.ask.entries()).toEqual(Array.from({ length: 12 }, (_, i) => i * 250))

    // From an actor on one worker to an actor on the other.
    const pen = await system.spawn(Pen, { placement: { worker: 1 } })
    const remote = await system.spawn(Journal, { placement: { worker: 0 } })
    const values = Array.from({ length: 2000 }, (_, i) => `v${i}`)
    pen.tell.write(remote, values)
    await expect.poll(() => remote.ask.entries().then((entries) => entries.length)).toBe(2000)
    expect(await remote.ask.entries()).toEqual(values)
    expect(system.deadLetters.count).toBe(0)
  })

  it('a value that no longer encodes when its batch is packed fails alone: the rest of its run arrives in order', async () => {
    const system = await startSystem()
    const journal = await system.spawn(Journal, { placement: { worker: 0 } })
    const letters: DeadLetter[] = []
    system.deadLetters.subscribe((letter) => letters.push(letter))
    const values: Record<string, unknown>[] = Array.from({ length: 6 }, (_, n) => ({ n }))
    for (const value of values) journal.tell.note(value)
    // Valid when told, not when the batch is packed at the end of this turn (a getter that throws).
    Object.defineProperty(values[2], 'late', {
      enumerable: true,
      get: () => {
        throw new Error('changed after it was sent')
      },
    })
    await expect.poll(() => letters.length).toBe(1)
    expect(letters[0]).toMatchObject({ recipient: journal.id, reason: 'encode-failed', method: 'note' })
    await expect.poll(() => journal.ask.entries().then((entries) => entries.length)).toBe(5)
    expect(await journal.ask.entries()).toEqual([0, 1, 3, 4, 5].map((n) => ({ n })))

    // An ask in a run fails alone too, with the error a refusal at send time has.
    const asked = [{ n: 6 }, { n: 7 }, { n: 8 }].map((value) => ({ value, answer: journal.ask.note(value) }))
    Object.defineProperty(asked[1]!.value, 'late', {
      enumerable: true,
      get: () => {
        throw new Error('changed after it was sent')
      },
    })
    const error = await asked[1]!.answer.then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(MessageEncodeError)
    expect((error as Error).message).toContain('changed after it was sent')
    await Promise.all([asked[0]!.answer, asked[2]!.answer])
    expect((await journal.ask.entries()).slice(5)).toEqual([{ n: 6 }, { n: 8 }])
  })
})

describe('runs of asks and their replies between threads', () => {
  it('pipelined asks each get their own answer or error, in order', async () => {
    const system = await startSystem()
    const journal = await system.spawn(Journal, { placement: { worker: 1 } })
    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, n) =>
        journal.ask.check(n).then(
          (value) => value,
          (error: unknown) => (error instanceof RangeError ? error.message : 'wrong error'),
        ),
      ),
    )
    expect(outcomes).toEqual(Array.from({ length: 500 }, (_, n) => (n % 7 === 3 ? `no ${n}` : n * 2)))
  })
})

describe('interned method names', () => {
  it('more names than a link interns all arrive by name (the rest travel as strings)', async () => {
    const system = await startSystem()
    const journal = await system.spawn(Journal, { placement: { worker: 0 } })
    const letters: DeadLetter[] = []
    system.deadLetters.subscribe((letter) => letters.push(letter))
    // Names the actor does not have: each comes back as an unknown-message dead letter, named.
    const names = Array.from({ length: MAX_INTERNED_SELECTORS + 100 }, (_, i) => `missing${i}`)
    const untyped = journal.tell as unknown as Record<string, (value: number) => void>
    for (const [i, name] of names.entries()) untyped[name]!(i)
    journal.tell.note('after') // a real one, interned after the table filled up
    await expect.poll(() => letters.length, { timeout: 10_000 }).toBe(names.length)
    expect(letters.map((letter) => [letter.method, letter.reason, letter.message])).toEqual(names.map((name, i) => [name, 'unknown-message', [i]]))
    expect(await journal.ask.entries()).toEqual(['after'])
  })

  it('a worker that replaced a dead one is given the names again, and its own names are read afresh', async () => {
    const system = await startSystem()
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const letters: DeadLetter[] = []
    system.deadLetters.subscribe((letter) => letters.push(letter))
    const journal = await system.spawn(Journal, { placement: 'main' })
    const pen = await system.spawn(Pen, { placement: { worker: 1 } })
    expect(await pen.ask.thread()).toBe(2)
    pen.tell.write(journal, ['a'])
    await expect.poll(() => journal.ask.entries()).toEqual(['a'])

    pen.tell.exit(3)
    await expect.poll(() => events.some((event) => event.type === 'worker-recovered'), { timeout: 10_000 }).toBe(true)

    // The replacement numbers its own names from scratch: `mark` now comes first, `note` second.
    pen.tell.markThenWrite(journal, 'again', ['b'])
    // `write` and `thread` were numbered for the dead worker; the replacement knows them only if told again.
    pen.tell.write(journal, ['c'])
    expect(await pen.ask.thread()).toBe(2)
    await expect.poll(() => journal.ask.entries()).toEqual(['a', 'mark:again', 'b', 'c'])
    // Only the message that killed the worker is lost (it is never delivered again).
    expect(letters.map((letter) => [letter.method, letter.reason])).toEqual([['exit', 'worker-died']])
  })
})
