import { describe, expect, it } from 'vitest'
import { HandlerTimeoutError, MailboxFullError, type DeadLetter, type SystemEvent } from '../src/index.js'
import { Door, Flooder, Gatekeeper, PrioritySender, Producer, Recipient } from './fixtures/mailboxes.js'
import { afterTest, fixture, startSystem } from './helpers/system.js'
import { TestKit } from '../src/testkit/index.js'

const ACTORS = [fixture('mailboxes.ts')]

/** A recipient on worker 1 blocked on its gate, with the mailbox asked for, and its gatekeeper. */
async function blockedRecipient(mailbox: Parameters<Awaited<ReturnType<typeof startSystem>>['spawn']>[1] extends infer O ? (O extends { mailbox?: infer M } ? M : never) : never) {
  const system = await startSystem({ actors: ACTORS })
  const dead: DeadLetter[] = []
  system.deadLetters.subscribe((letter) => dead.push(letter))
  const recipient = await system.spawn(Recipient, { placement: { worker: 1 }, mailbox })
  const gatekeeper = await system.spawn(Gatekeeper, { placement: { colocateWith: recipient } })
  recipient.tell.hold() // from now on the recipient takes nothing until the gate opens
  return { system, recipient, gatekeeper, dead }
}

describe('bounded mailboxes', () => {
  it('drop-newest keeps the first `capacity` messages; the rest are dead letters with the reason', async () => {
    const { recipient, gatekeeper, dead } = await blockedRecipient({ capacity: 3, overflow: 'drop-newest' })
    for (const item of ['a', 'b', 'c', 'd', 'e']) recipient.tell.take(item)
    await expect(recipient.ask.take('f')).rejects.toBeInstanceOf(MailboxFullError)
    gatekeeper.tell.open()
    await expect.poll(() => recipient.ask.seen()).toEqual(['a', 'b', 'c'])
    expect(dead.map((d) => [d.message, d.reason])).toEqual([
      [['d'], 'mailbox-full'],
      [['e'], 'mailbox-full'],
    ])
  })

  it('drop-oldest keeps the newest `capacity` messages', async () => {
    const { recipient, gatekeeper, dead } = await blockedRecipient({ capacity: 3, overflow: 'drop-oldest' })
    for (const item of ['a', 'b', 'c', 'd', 'e']) recipient.tell.take(item)
    gatekeeper.tell.open()
    await expect.poll(() => recipient.ask.seen()).toEqual(['c', 'd', 'e'])
    expect(dead.map((d) => d.message)).toEqual([['a'], ['b']])
  })

  it('reject makes an awaited send fail with MailboxFullError; accepted sends resolve', async () => {
    const { recipient, gatekeeper } = await blockedRecipient({ capacity: 2, overflow: 'reject' })
    await expect(recipient.send.take('a')).resolves.toBeUndefined()
    await expect(recipient.send.take('b')).resolves.toBeUndefined()
    await expect(recipient.send.take('c')).rejects.toBeInstanceOf(MailboxFullError)
    gatekeeper.tell.open()
    await expect.poll(() => recipient.ask.seen()).toEqual(['a', 'b'])
  })

  it('backpressure: a producer faster than its consumer on another worker stays bounded', async () => {
    const system = await startSystem({ actors: ACTORS, loadReportIntervalMs: 10 })
    const capacity = 5
    const consumer = await system.spawn(Recipient, { placement: { worker: 1 }, mailbox: { capacity, overflow: 'backpressure' } })
    const producer = await system.spawn(Producer, { placement: { worker: 0 } })
    const count = 60
    const produced = producer.ask.produce(consumer, count, 2)
    const depths: number[] = []
    let done = false
    void produced.then(() => (done = true))
    while (!done) depths.push((await system.stats()).threads[2]!.mailboxDepth)
    expect(await produced).toBe(count)
    await expect.poll(async () => (await consumer.ask.seen()).length).toBe(count)
    expect(depths.length).toBeGreaterThan(3)
    expect(Math.max(...depths)).toBeLessThanOrEqual(capacity)
  })

  it('backpressure across threads: producers that tell in a loop cannot grow the consumer past its capacity', async () => {
    const system = await startSystem({ actors: ACTORS })
    const capacity = 90
    const window = capacity / 3 // main + 2 workers share the capacity as credit
    const consumer = await system.spawn(Recipient, { placement: { worker: 1 }, mailbox: { capacity, overflow: 'backpressure' } })
    const gatekeeper = await system.spawn(Gatekeeper, { placement: { worker: 1 } })
    const flooder = await system.spawn(Flooder, { placement: { worker: 0 } })
    void consumer.ask.hold() // the consumer is busy until the gate opens
    const count = 5_000
    expect(await flooder.ask.flood(consumer, 'w', count)).toBe(count)
    for (let i = 0; i < count; i++) consumer.tell.take(`m${i}`) // and the main thread floods too

    // Each producer thread got exactly its window in; the rest waits on its own side.
    const threads = async () => (await system.stats()).threads
    await expect.poll(async () => (await threads())[1]!.awaitingCredit).toBe(count - window)
    expect((await threads())[0]!.awaitingCredit).toBe(count - window)
    await expect.poll(async () => (await threads())[2]!.mailboxDepth + (await threads())[2]!.parked).toBe(2 * window)

    // Sample the consumer's queue while it drains (credits come back only as messages leave it,
    // so it cannot grow): never above capacity; nothing lost or reordered.
    gatekeeper.tell.open()
    const depths: number[] = []
    for (let seen = 0; seen < 2 * count; seen = (await consumer.ask.seen()).length) {
      const consumerThread = (await threads())[2]!
      depths.push(consumerThread.mailboxDepth + consumerThread.parked)
    }
    expect(Math.max(0, ...depths)).toBeLessThanOrEqual(capacity)
    const seen = await consumer.ask.seen()
    expect(seen.filter((item) => item.startsWith('w'))).toEqual(Array.from({ length: count }, (_, i) => `w${i}`))
    expect(seen.filter((item) => item.startsWith('m'))).toEqual(Array.from({ length: count }, (_, i) => `m${i}`))
    expect(system.deadLetters.count).toBe(0)
    const after = await threads()
    expect(after.map((thread) => thread.awaitingCredit)).toEqual([0, 0, 0])
  })

  it("backpressure across threads: a consumer's worker dying gives its producers their credit back", async () => {
    const system = await startSystem({ actors: ACTORS })
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const consumer = await system.spawn(Recipient, { placement: { worker: 1 }, mailbox: { capacity: 6, overflow: 'backpressure' } })
    const gatekeeper = await system.spawn(Gatekeeper, { placement: { worker: 1 } })
    const flooder = await system.spawn(Flooder, { placement: { worker: 0 } })
    void consumer.ask.hold().catch(() => undefined)
    await flooder.ask.flood(consumer, 'w', 100)
    await expect.poll(async () => (await system.stats()).threads[1]!.awaitingCredit).toBe(98) // window: 6 / 3 threads

    // The two messages in the consumer's mailbox die with its worker; the 98 waiting for credit
    // go to the restarted consumer, in order.
    gatekeeper.tell.crash()
    await expect.poll(() => events.some((event) => event.type === 'worker-recovered'), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => consumer.ask.seen(), { timeout: 10_000 }).toEqual(Array.from({ length: 98 }, (_, i) => `w${i + 2}`))
    expect((await system.stats()).threads[1]!.awaitingCredit).toBe(0)
  })
})

describe('priority mailboxes', () => {
  it('takes high before normal before low, FIFO within each', async () => {
    const { recipient, gatekeeper } = await blockedRecipient({ priority: true })
    const low = recipient.with({ priority: 'low' })
    const high = recipient.with({ priority: 'high' })
    low.tell.take('low-1')
    recipient.tell.take('normal-1')
    high.tell.take('high-1')
    low.tell.take('low-2')
    high.tell.take('high-2')
    recipient.tell.take('normal-2')
    gatekeeper.tell.open()
    await expect.poll(() => recipient.ask.seen()).toEqual(['high-1', 'high-2', 'normal-1', 'normal-2', 'low-1', 'low-2'])
  })
})

describe('priority under load', () => {
  it('thousands of mixed-priority messages from two threads are taken high, normal, low, each sender in order', async () => {
    const { system, recipient, gatekeeper } = await blockedRecipient({ priority: true })
    const sender = await system.spawn(PrioritySender, { placement: { worker: 0 } })
    // A marker after `hold` from the same thread: once it waits, the recipient is surely held.
    recipient.with({ priority: 'low' }).tell.take('marker')
    await expect.poll(async () => (await system.stats()).threads[2]!.mailboxDepth).toBe(1)
    const count = 3_000
    await sender.ask.send(recipient, 'w', count)
    const levels = ['low', 'normal', 'high'] as const
    for (let i = 0; i < count; i++) recipient.with({ priority: levels[i % 3]! }).tell.take(`m-${levels[i % 3]}-${i}`)
    await expect.poll(async () => (await system.stats()).threads[2]!.mailboxDepth).toBe(2 * count + 1)
    gatekeeper.tell.open()
    await expect.poll(async () => (await recipient.ask.seen()).length, { timeout: 10_000 }).toBe(2 * count + 1)
    const seen = (await recipient.ask.seen()).filter((item) => item !== 'marker')
    const levelOf = (item: string) => item.split('-')[1]!
    const rank = { high: 0, normal: 1, low: 2 } as Record<string, number>
    seen.forEach((item, i) => i > 0 && expect(rank[levelOf(item)]!).toBeGreaterThanOrEqual(rank[levelOf(seen[i - 1]!)]!))
    for (const prefix of ['w', 'm']) {
      const indices = seen.filter((item) => item.startsWith(`${prefix}-`))
      for (const level of levels) {
        const ofLevel = indices.filter((item) => levelOf(item) === level).map((item) => Number(item.split('-')[2]))
        expect(ofLevel).toEqual([...ofLevel].sort((a, b) => a - b))
        expect(ofLevel).toHaveLength(count / 3)
      }
    }
  })
})

describe('stash', () => {
  it('defers messages until the actor is ready, then replays them in order; stashed asks are answered then', async () => {
    const system = await startSystem({ actors: ACTORS })
    const door = await system.spawn(Door, { placement: { worker: 0 } })
    const first = door.ask.enter('ann')
    door.tell.enter('bob')
    door.tell.open()
    door.tell.enter('cy')
    expect(await first).toBe('welcome ann')
    await expect.poll(() => door.ask.log()).toEqual(['opened', 'ann', 'bob', 'cy'])
  })
})

describe('handlerTimeoutMs', () => {
  it('a handler past its deadline is an actor failure: its ask rejects and the supervisor restarts it', async () => {
    // Manual time: the deadline passes when the test says so, not after real waiting.
    const kit = await TestKit.start({ workers: 2, actors: ACTORS, manualTime: true, stopTimeoutMs: 2000 })
    afterTest(() => kit.shutdown())
    const system = kit.system
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const recipient = await system.spawn(Recipient, { placement: { worker: 0 }, handlerTimeoutMs: 60_000 })
    recipient.tell.take('before')
    const hung = recipient.with({ timeoutMs: 120_000 }).ask.hang().then(() => undefined, (e: unknown) => e)
    await kit.clock!.advance(59_999)
    expect(events.filter((e) => e.type === 'actor-failed')).toEqual([])
    await kit.clock!.advance(1)
    const error = await hung
    expect(error).toBeInstanceOf(HandlerTimeoutError)
    expect(error).toMatchObject({ code: 'ERR_HANDLER_TIMEOUT', selector: 'hang', timeoutMs: 60_000 })
    await expect.poll(() => events.filter((e) => e.type === 'actor-restarted').length).toBe(1)
    expect(await recipient.ask.take('after')).toBe('after')
    expect(await recipient.ask.seen()).toEqual(['after']) // a fresh instance
  })

  it('is validated', async () => {
    const system = await startSystem({ actors: ACTORS })
    await expect(system.spawn(Recipient, { handlerTimeoutMs: 0 })).rejects.toThrow(/option "handlerTimeoutMs"/)
    await expect(system.spawn(Recipient, { mailbox: { capacity: -1 } })).rejects.toThrow(/option "mailbox\.capacity"/)
  })
})
