import { describe, expect, it } from 'vitest'
import { ActorSystem, InvalidOptionError } from '../../src/index.js'
import { TestKit } from '../../src/testkit/index.js'
import { Brief, Tally } from '../fixtures/entities.js'
import { FIXTURE_ACTORS, afterTest, errorOf, until } from '../helpers/system.js'
import { tempStoreDir } from '../helpers/store.js'

// Passivation and reminders on manual time (nothing waits for real time), and reminders that
// survive a restart of the system on real time.

async function manualKit(path: string, idleTimeoutMs = 60_000): Promise<TestKit & { clock: NonNullable<TestKit['clock']> }> {
  const kit = await TestKit.start({ workers: 2, actors: FIXTURE_ACTORS, manualTime: true, persistence: { store: 'lmdb', path }, entities: { idleTimeoutMs } })
  afterTest(() => kit.shutdown())
  return kit as TestKit & { clock: NonNullable<TestKit['clock']> }
}

describe('passivation', () => {
  it('passivates an entity idle for idleTimeoutMs, and the next message activates it again with its state', async () => {
    const kit = await manualKit(tempStoreDir(), 5000)
    const tally = kit.system.entity(Tally, 'idle')
    await tally.ask.add(3)
    const first = await tally.ask.where()
    await kit.clock.advance(2000)
    expect((await tally.ask.where()).serial).toBe(first.serial) // not idle long enough (and now active again)
    await kit.clock.advance(10_000)
    const second = await tally.ask.where()
    expect(second.serial).not.toBe(first.serial)
    expect((await tally.ask.get()).count).toBe(3)
  })

  it("a class's static idleTimeoutMs overrides the system's", async () => {
    const kit = await manualKit(tempStoreDir(), 60_000)
    const brief = kit.system.entity(Brief, 'b')
    const first = await brief.ask.see()
    await kit.clock.advance(5000)
    const second = await brief.ask.see()
    expect(second.seen).toBe(2)
    expect(second.serial).not.toBe(first.serial)
  })
})

describe('reminders', () => {
  it('fire onReminder when due, activating a passivated entity; a one-shot fires once', async () => {
    const kit = await manualKit(tempStoreDir())
    const tally = kit.system.entity(Tally, 'once')
    await tally.ask.remindIn('ping', 1000)
    await tally.ask.passivate()
    await kit.clock.advance(999)
    expect((await tally.ask.get()).fired).toEqual([])
    await tally.ask.passivate()
    await kit.clock.advance(1)
    await until(async () => (await tally.ask.get()).fired.length > 0)
    expect((await tally.ask.get()).fired).toEqual(['ping'])
    await kit.clock.advance(10_000)
    expect((await tally.ask.get()).fired).toEqual(['ping'])
  })

  it('a periodic reminder repeats until cancelled; replacing one by name keeps one', async () => {
    const kit = await manualKit(tempStoreDir())
    const tally = kit.system.entity(Tally, 'periodic')
    await tally.ask.remindIn('tick', 100, 100)
    await tally.ask.remindIn('tick', 100, 100) // replaces, does not add
    // Each period is armed once the last one's handler has committed (a store write: real I/O,
    // which manual time does not wait for), so the test moves on once each has fired.
    for (let i = 1; i <= 3; i++) {
      await kit.clock.advance(100)
      await until(async () => (await tally.ask.get()).fired.length === i)
    }
    expect((await tally.ask.get()).fired).toEqual(['tick', 'tick', 'tick'])
    await tally.ask.forget('tick')
    await kit.clock.advance(1000)
    expect((await tally.ask.get()).fired).toHaveLength(3)
  })

  it('validates the schedule, naming what is wrong', async () => {
    const kit = await manualKit(tempStoreDir())
    const tally = kit.system.entity(Tally, 'bad')
    const negative = await errorOf(tally.ask.remindIn('x', -5))
    expect(negative).toBeInstanceOf(InvalidOptionError)
    expect(negative.message).toContain('dueMs')
    expect((await errorOf(tally.ask.remindIn('x', 10, 0))).message).toContain('periodMs')
    expect((await errorOf(tally.ask.remindIn('', 10))).message).toContain('remind(name)')
  })

  it('survive a restart of the system: a reminder set before fires after, activating its entity', async () => {
    const path = tempStoreDir()
    const before = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS, persistence: { store: 'lmdb', path } })
    afterTest(() => before.shutdown())
    await before.entity(Tally, 'durable').ask.remindIn('after-restart', 300)
    await before.shutdown()
    const after = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS, persistence: { store: 'lmdb', path } })
    afterTest(() => after.shutdown())
    // Nothing sends it a message: the reminder alone activates it. Its state is read only once it has fired.
    const durable = after.entity(Tally, 'durable')
    await until(async () => (await durable.ask.get()).fired.length > 0)
    expect((await durable.ask.get()).fired).toEqual(['after-restart'])
  })
})
