import { AssertionError } from 'node:assert'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../../src/index.js'
import { TestKit } from '../../src/testkit/index.js'
import { Reporter, Tally } from '../fixtures/testkit.js'
import { errorOf } from '../helpers/system.js'

const ACTORS = [new URL('../fixtures/testkit.ts', import.meta.url)]
type Report = { from: string; thread: number; n: number }

// One system on real threads for the whole file: probes are cheap, systems are not.
let kit: TestKit
beforeAll(async () => {
  kit = await TestKit.start({ workers: 2, actors: ACTORS })
})
afterAll(() => kit.shutdown())

describe('test probes on real threads', () => {
  it('receive from every thread, in per-sender order, and know who sent', async () => {
    const probe = await kit.createProbe<Report>()
    const one = await kit.system.spawn(Reporter, { placement: { worker: 0 } })
    const two = await kit.system.spawn(Reporter, { placement: { worker: 1 } })
    one.tell.report(probe.ref, 'one', 2)
    const first = await probe.expectMessage({ from: 'one', thread: 1, n: 1 })
    expect(first).toEqual({ from: 'one', thread: 1, n: 1 })
    expect(probe.lastSender?.address).toEqual(one.address)
    await probe.expectMessage((m) => m.from === 'one' && m.n === 2)
    two.tell.report(probe.ref, 'two', 3)
    expect(await probe.receiveMessages(3)).toEqual([1, 2, 3].map((n) => ({ from: 'two', thread: 2, n })))
    expect(probe.received).toHaveLength(5)
    expect(probe.pending).toBe(0)
  })

  it('fishForMessage skips until the predicate holds', async () => {
    const probe = await kit.createProbe<Report>()
    const reporter = await kit.system.spawn(Reporter, { placement: { worker: 1 } })
    reporter.tell.report(probe.ref, 'r', 5)
    expect(await probe.fishForMessage((m) => m.n === 4)).toEqual({ from: 'r', thread: 2, n: 4 })
    await probe.expectMessage({ from: 'r', thread: 2, n: 5 })
  })

  it('a mismatch says what came instead, with both values for a diff', async () => {
    const probe = await kit.createProbe<Report>()
    const reporter = await kit.system.spawn(Reporter, { placement: { worker: 0 } })
    reporter.tell.report(probe.ref, 'r', 1)
    const error = await errorOf<AssertionError>(probe.expectMessage({ from: 'r', thread: 1, n: 2 }))
    expect(error).toBeInstanceOf(AssertionError)
    expect(error.message).toContain("got:      { from: 'r', thread: 1, n: 1 }")
    expect(error.actual).toEqual({ from: 'r', thread: 1, n: 1 })
    expect(error.expected).toEqual({ from: 'r', thread: 1, n: 2 })
  })

  it('a probe that times out reports what it received', async () => {
    const probe = await kit.createProbe<Report>()
    const reporter = await kit.system.spawn(Reporter, { placement: { worker: 1 } })
    const none = await errorOf<AssertionError>(probe.expectMessage({ from: 'x', thread: 0, n: 0 }, { within: 50 }))
    expect(none.message).toMatch(/^expectMessage: expected a message equal to .* within 50 ms; none came \(it has received nothing at all\)$/)
    reporter.tell.report(probe.ref, 'r', 2)
    const two = await errorOf<AssertionError>(probe.receiveMessages(3, { within: 300 }))
    expect(two.message).toContain('expected 3 messages (got 2:')
    expect(two.message).toContain("{ from: 'r', thread: 2, n: 2 }")
    expect(two.message).toContain('within 300 ms')
  })

  it('expectNoMessage fails with the message that came', async () => {
    const probe = await kit.createProbe<Report>()
    await probe.expectNoMessage(50)
    const reporter = await kit.system.spawn(Reporter, { placement: { worker: 0 } })
    reporter.tell.report(probe.ref, 'late', 1)
    const error = await errorOf<AssertionError>(probe.expectNoMessage(2000))
    expect(error.message).toBe("expectNoMessage: got { from: 'late', thread: 1, n: 1 } within 2000 ms")
  })

  it('answers asks with undefined, so an actor may ask a probe', async () => {
    const probe = await kit.createProbe<string>()
    expect(await probe.ref.ask('ping')).toBeUndefined()
    await probe.expectMessage('ping')
  })

  it('a closed probe takes nothing more: what is sent to it is a dead letter', async () => {
    const probe = await kit.createProbe<string>()
    probe.ref.tell('before close')
    await probe.expectMessage('before close')
    await probe.close()
    const deadLetters = kit.system.deadLetters.count
    probe.ref.tell('after close')
    await expect.poll(() => kit.system.deadLetters.count).toBe(deadLetters + 1)
    expect(probe.received).toEqual(['before close'])
  })

  it('validates its arguments, naming them', async () => {
    const probe = await kit.createProbe<string>()
    await expect(probe.expectMessage('x', { within: -1 })).rejects.toThrow(/option "within"/)
    await expect(probe.receiveMessages(1.5)).rejects.toThrow(/option "n"/)
    await expect(probe.fishForMessage('no' as never)).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(probe.expectNoMessage(Number.NaN)).rejects.toThrow(/option "forMs"/)
  })
})

describe('fault injection on real threads', () => {
  it('crashWorker: a real exit of the thread; the slot recovers and its actors answer again', async () => {
    const probe = await kit.createProbe<string>()
    const events: string[] = []
    const unsubscribe = kit.system.events.subscribe((event) => events.push(`${event.type}${'thread' in event ? ` ${event.thread}` : ''}`))
    try {
      const tally = await kit.system.spawn(Tally, { placement: { worker: 1 }, args: [probe.ref] })
      await probe.expectMessage('started')
      expect(await tally.ask.add(3)).toBe(3)
      await kit.crashWorker(2, 9)
      await probe.expectMessage('started', { within: 10_000 })
      expect(await tally.ask.add(1)).toBe(1)
      expect(events).toEqual(expect.arrayContaining(['worker-crashed 2', 'worker-replaced 2']))
    } finally {
      unsubscribe()
    }
  })

  it('hangWorker: the thread really blocks; the watchdog ends it after handlerHangMs and the slot recovers', async () => {
    const hanging = await TestKit.start({ workers: 1, actors: ACTORS, handlerHangMs: 1000 })
    try {
      const probe = await hanging.createProbe<string>()
      const events: string[] = []
      hanging.system.events.subscribe((event) => events.push(event.type))
      const tally = await hanging.system.spawn(Tally, { placement: { worker: 0 }, args: [probe.ref] })
      await probe.expectMessage('started')
      hanging.hangWorker(1)
      await expect.poll(() => events, { timeout: 10_000 }).toEqual(expect.arrayContaining(['worker-hung', 'worker-crashed', 'worker-replaced']))
      await probe.expectMessage('started', { within: 10_000 })
      expect(await tally.ask.add(2)).toBe(2)
    } finally {
      await hanging.shutdown()
    }
  })
})
