import { describe, expect, it } from 'vitest'
import { AskTimeoutError, type ActorSystem, type ReentrancyMode, type SystemEvent } from '../src/index.js'
import { BankAccount, Gate, Juggler, Relay } from './fixtures/reentrant.js'
import { errorOf, fixture, startSystem } from './helpers/system.js'

const ACTORS = [fixture('reentrant.ts')]

async function accounts(system: ActorSystem, reentrancy: ReentrancyMode, workers: [number, number]) {
  const a = await system.spawn(BankAccount, { args: [100], placement: { worker: workers[0] }, reentrancy })
  const b = await system.spawn(BankAccount, { args: [100], placement: { worker: workers[1] }, reentrancy })
  return [a, b] as const
}

describe("reentrancy: 'call-chain'", () => {
  it.each([
    ['on the same thread', [0, 0]],
    ['across threads', [0, 1]],
  ] as const)('A asks B, B asks A back: the cycle completes %s', async (_where, workers) => {
    const system = await startSystem({ actors: ACTORS, askTimeoutMs: 2_000 })
    const [a, b] = await accounts(system, 'call-chain', [...workers])
    // B's confirmation reaches A while A awaits inside transfer: it belongs to A's chain.
    expect(await a.ask.transfer(b, 30)).toBe(70)
    expect(await b.ask.transfer(a, 50)).toBe(80)
    expect([await a.ask.balance(), await b.ask.balance()]).toEqual([120, 80])
  })

  it('the chain follows a handler across its awaits: an ask to itself after an await enters', async () => {
    const system = await startSystem({ actors: ACTORS, askTimeoutMs: 2_000 })
    const account = await system.spawn(BankAccount, { args: [7], placement: { worker: 1 }, reentrancy: 'call-chain' })
    expect(await account.ask.audit()).toBe(7)
  })

  it('chains pass through a non-reentrant actor in the middle: A (call-chain) → B (none) → A', async () => {
    const system = await startSystem({ actors: ACTORS, askTimeoutMs: 2_000 })
    const a = await system.spawn(BankAccount, { args: [100], placement: { worker: 0 }, reentrancy: 'call-chain' })
    const b = await system.spawn(BankAccount, { args: [100], placement: { worker: 1 } })
    expect(await a.ask.transfer(b, 10)).toBe(90)
  })

  it('does not let an unrelated message in while a handler awaits', async () => {
    const { system, gate, juggler } = await jugglerSetup('call-chain')
    const slow = juggler.ask.slow(gate, 'slow')
    await expect.poll(() => gate.ask.waiting()).toBe(1)
    const quick = juggler.ask.quick('quick')
    // The unrelated ask has arrived and waits in the mailbox, behind the awaiting handler.
    await expect.poll(async () => (await system.stats()).threads.find((t) => t.thread === 2)?.mailboxDepth).toBe(1)
    gate.tell.open()
    await Promise.all([slow, quick])
    expect(await juggler.ask.log()).toEqual(['slow:start', 'slow:end', 'quick'])
  })
})

describe("reentrancy: 'none' (the default)", () => {
  it('the A ↔ B cycle deadlocks, and fails with AskTimeoutError instead of hanging', async () => {
    const system = await startSystem({ actors: ACTORS, askTimeoutMs: 300 })
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const [a, b] = await accounts(system, 'none', [0, 1])
    const started = performance.now()
    expect(await errorOf(a.ask.transfer(b, 30))).toBeInstanceOf(AskTimeoutError)
    expect(performance.now() - started).toBeLessThan(1_500)
    // Both answer again once the cycle is broken. If A's ask to B timed out first, A then answered
    // B's ask and B completed the deposit A gave up on (a timeout says nothing about whether the
    // work happened); if B's timed out first, B did not deposit.
    expect([100, 130]).toContain(await b.ask.balance())
    expect(await a.ask.balance()).toBe(70)
    expect(events.filter((event) => event.type === 'actor-failed')).toEqual([]) // ask errors, not failures
  })

  it('same thread: the cycle fails with AskTimeoutError too', async () => {
    const system = await startSystem({ actors: ACTORS, askTimeoutMs: 300 })
    const [a, b] = await accounts(system, 'none', [1, 1])
    expect(await errorOf(a.ask.transfer(b, 30))).toBeInstanceOf(AskTimeoutError)
  })
})

describe("reentrancy: 'interleave'", () => {
  it('lets an unrelated message run while a handler awaits', async () => {
    const { gate, juggler } = await jugglerSetup('interleave')
    const slow = juggler.ask.slow(gate, 'slow')
    await expect.poll(() => gate.ask.waiting()).toBe(1)
    await juggler.ask.quick('quick') // answered while slow still awaits the gate
    expect(await juggler.ask.log()).toEqual(['slow:start', 'quick'])
    gate.tell.open()
    await slow
    expect(await juggler.ask.log()).toEqual(['slow:start', 'quick', 'slow:end'])
  })

  it('each interleaved handler sees its own ctx.sender, before and after its await', async () => {
    const { system, gate, juggler } = await jugglerSetup('interleave')
    const relays = await Promise.all([{ worker: 0 }, { worker: 1 }, { worker: 1 }].map((placement) => system.spawn(Relay, { placement })))
    const answers = relays.map((relay, i) => relay.ask.slow(juggler, gate, `r${i}`))
    await expect.poll(() => gate.ask.waiting()).toBe(relays.length)
    gate.tell.open()
    expect(await Promise.all(answers)).toEqual(relays.map((relay) => [relay.id, relay.id]))
  })

  it('a chain also enters an interleaving actor: the A ↔ B cycle completes', async () => {
    const system = await startSystem({ actors: ACTORS, askTimeoutMs: 2_000 })
    const [a, b] = await accounts(system, 'interleave', [0, 1])
    expect(await a.ask.transfer(b, 30)).toBe(70)
  })
})

async function jugglerSetup(reentrancy: ReentrancyMode) {
  const system = await startSystem({ actors: ACTORS })
  const gate = await system.spawn(Gate, { placement: { worker: 0 } })
  const juggler = await system.spawn(Juggler, { placement: { worker: 1 }, reentrancy })
  return { system, gate, juggler }
}
