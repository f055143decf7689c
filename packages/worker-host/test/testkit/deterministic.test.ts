import { describe, expect, it } from 'vitest'
import { InvalidOptionError, MessageEncodeError, WorkerCrashedError } from '../../src/index.js'
import { SeedFailureError, SimulationBusyError, TestKit, exploreSeeds } from '../../src/testkit/index.js'
import { Account, Looper, RacyClient, Reporter, Tally, Ticker } from '../fixtures/testkit.js'
import { errorOf } from '../helpers/system.js'

const ACTORS = [new URL('../fixtures/testkit.ts', import.meta.url)]

/** Two clients deposit 10 each into one account by read-then-write: 20 unless their asks interleave. */
async function racyDeposits(kit: TestKit): Promise<number> {
  const account = await kit.system.spawn(Account, { placement: 'main' })
  const first = await kit.system.spawn(RacyClient, { placement: { worker: 0 } })
  const second = await kit.system.spawn(RacyClient, { placement: { worker: 1 } })
  await Promise.all([first.ask.deposit(account, 10), second.ask.deposit(account, 10)])
  return account.ask.balance()
}

async function withKit<T>(seed: number, body: (kit: TestKit) => Promise<T>): Promise<{ result: T; trace: readonly string[] }> {
  const kit = await TestKit.deterministic({ seed, actors: ACTORS })
  try {
    const result = await body(kit)
    return { result, trace: [...kit.trace] }
  } finally {
    await kit.shutdown()
  }
}

describe('deterministic mode', () => {
  it('replays the same interleaving for the same seed, and explores others with other seeds', async () => {
    const runs = new Map<number, { result: number; trace: readonly string[] }>()
    for (let seed = 1; seed <= 12; seed++) runs.set(seed, await withKit(seed, racyDeposits))
    // The same seed twice: the same trace, line by line, and the same outcome.
    for (const seed of [1, 7, 12]) {
      const again = await withKit(seed, racyDeposits)
      expect(again.trace).toEqual(runs.get(seed)!.trace)
      expect(again.result).toBe(runs.get(seed)!.result)
    }
    // Seeds differ in interleaving: several distinct traces, and both outcomes of the race.
    expect(new Set([...runs.values()].map((run) => run.trace.join('\n'))).size).toBeGreaterThan(1)
    expect(new Set([...runs.values()].map((run) => run.result))).toEqual(new Set([10, 20]))
  })

  it('exploreSeeds stops at the first seed that fails and names it; that seed replays the failure', async () => {
    const error = await errorOf<SeedFailureError>(
      exploreSeeds({ actors: ACTORS, seeds: 100 }, async (kit) => {
        expect(await racyDeposits(kit)).toBe(20)
      }),
    )
    expect(error).toBeInstanceOf(SeedFailureError)
    expect(error.message).toContain(`seed ${error.seed} failed`)
    expect(error.message).toContain(`TestKit.deterministic({ ...options, seed: ${error.seed} })`)
    expect(error.seed).toBeGreaterThanOrEqual(1)
    expect(error.seed).toBeLessThanOrEqual(100)
    const replay = await withKit(error.seed, racyDeposits)
    expect(replay.result).toBe(10)
    expect(replay.trace).toEqual(error.trace)
  })

  it('counts the seeds that pass, and validates its options', async () => {
    expect(await exploreSeeds({ actors: ACTORS, seeds: [3, 5, 8] }, async () => undefined)).toBe(3)
    await expect(exploreSeeds({ actors: ACTORS, seeds: 0 }, async () => undefined)).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(exploreSeeds({ actors: ACTORS, seeds: [1.5] }, async () => undefined)).rejects.toThrow(/seeds\[0\]/)
    await expect(TestKit.deterministic({ actors: ACTORS, seed: 0.5 })).rejects.toThrow(/"seed"/)
    await expect(TestKit.deterministic({ actors: ACTORS, seed: 1, offload: { tasks: [] } } as never)).rejects.toThrow(/"offload"/)
  })

  it('keeps placements: each simulated thread is its own thread for the actors on it', async () => {
    await withKit(4, async (kit) => {
      const probe = await kit.createProbe<{ from: string; thread: number; n: number }>()
      const one = await kit.system.spawn(Reporter, { placement: { worker: 0 } })
      const two = await kit.system.spawn(Reporter, { placement: { worker: 1 } })
      one.tell.report(probe.ref, 'one', 3)
      two.tell.report(probe.ref, 'two', 3)
      const got = await probe.receiveMessages(6)
      // Per-sender FIFO holds whatever the interleaving.
      expect(got.filter((m) => m.from === 'one')).toEqual([1, 2, 3].map((n) => ({ from: 'one', thread: 1, n })))
      expect(got.filter((m) => m.from === 'two')).toEqual([1, 2, 3].map((n) => ({ from: 'two', thread: 2, n })))
      expect(kit.mode).toBe('deterministic')
      expect(kit.seed).toBe(4)
    })
  })

  it('still encodes messages between simulated threads: what is illegal on threads is illegal here', async () => {
    await withKit(2, async (kit) => {
      const tally = await kit.system.spawn(Tally, { placement: { worker: 0 } })
      const error = await errorOf(Promise.resolve().then(() => tally.ask.add((() => 1) as never)))
      expect(error).toBeInstanceOf(MessageEncodeError)
    })
  })

  it('runs timers on the manual clock in time order across simulated threads', async () => {
    await withKit(9, async (kit) => {
      const probe = await kit.createProbe<string>()
      const a = await kit.system.spawn(Ticker, { placement: { worker: 1 } })
      const b = await kit.system.spawn(Ticker, { placement: { worker: 0 } })
      await a.ask.start(probe.ref, 'a at 30', 30)
      await b.ask.start(probe.ref, 'b at 20', 20)
      await b.ask.start(probe.ref, 'b every 25', 0, 25)
      await probe.expectNoMessage()
      await kit.clock!.advance(60)
      expect(await probe.receiveMessages(4)).toEqual(['b at 20', 'b every 25', 'a at 30', 'b every 25'])
      await probe.expectNoMessage()
    })
  })

  it('a program that never goes idle makes settle() reject with SimulationBusyError, not wait forever', async () => {
    const kit = await TestKit.deterministic({ seed: 3, actors: ACTORS, settleTimeoutMs: 300 })
    try {
      const looper = await kit.system.spawn(Looper, { placement: { worker: 0 } })
      looper.tell.spin()
      const error = await errorOf<SimulationBusyError>(kit.settle())
      expect(error).toBeInstanceOf(SimulationBusyError)
      expect(error.message).toBe('the simulation did not become idle within 300 ms (a message loop that never ends?)')
      await expect(TestKit.deterministic({ seed: 1, actors: ACTORS, settleTimeoutMs: 0 })).rejects.toThrow(/option "settleTimeoutMs"/)
    } finally {
      await kit.shutdown()
    }
  })

  it('settles: nothing left to deliver once settle() resolves', async () => {
    await withKit(5, async (kit) => {
      const probe = await kit.createProbe<{ from: string; thread: number; n: number }>()
      const reporter = await kit.system.spawn(Reporter, { placement: { worker: 1 } })
      reporter.tell.report(probe.ref, 'r', 50)
      await kit.settle()
      expect(probe.pending).toBe(50)
    })
  })
})

describe('fault injection in deterministic mode', () => {
  it('crashWorker: the slot gets a new worker and its actors are restarted there', async () => {
    await withKit(3, async (kit) => {
      const probe = await kit.createProbe<string>()
      const events: string[] = []
      kit.system.events.subscribe((event) => events.push(`${event.type}${'thread' in event ? ` ${event.thread}` : ''}`))
      const tally = await kit.system.spawn(Tally, { placement: { worker: 0 }, args: [probe.ref] })
      await probe.expectMessage('started')
      expect(await tally.ask.add(5)).toBe(5)
      await kit.crashWorker(1, 7)
      await kit.settle()
      await probe.expectMessage('started')
      expect(await tally.ask.add(1)).toBe(1) // a fresh instance, same ref
      expect(await tally.ask.where()).toBe(1)
      expect(events).toEqual(expect.arrayContaining(['worker-crashed 1', 'worker-replaced 1', 'worker-recovered 1']))
      expect(kit.trace).toContain('crash 1')
    })
  })

  it('hangWorker: the watchdog finds it once handlerHangMs of manual time pass, and the slot recovers', async () => {
    const kit = await TestKit.deterministic({ seed: 11, actors: ACTORS, handlerHangMs: 5000 })
    try {
      const probe = await kit.createProbe<string>()
      const events: string[] = []
      kit.system.events.subscribe((event) => events.push(event.type))
      const tally = await kit.system.spawn(Tally, { placement: { worker: 1 }, args: [probe.ref] })
      await probe.expectMessage('started')
      kit.hangWorker(2)
      const stuck = tally.ask.add(1)
      stuck.catch(() => undefined)
      await kit.settle()
      await kit.clock!.advance(4999)
      expect(events).not.toContain('worker-hung')
      await kit.clock!.advance(1)
      await kit.settle()
      expect(events).toEqual(expect.arrayContaining(['worker-hung', 'worker-crashed', 'worker-recovered']))
      expect(await errorOf(stuck)).toBeInstanceOf(WorkerCrashedError)
      await probe.expectMessage('started')
      expect(await tally.ask.add(2)).toBe(2)
    } finally {
      await kit.shutdown()
    }
  })

  it('dropNextBatch: the batch is lost; an at-least-once actor still gets it when its worker dies', async () => {
    await withKit(6, async (kit) => {
      const probe = await kit.createProbe<string>()
      const lost = await kit.system.spawn(Tally, { placement: { worker: 0 }, args: [probe.ref] })
      const kept = await kit.system.spawn(Tally, { placement: { worker: 0 }, args: [probe.ref], delivery: 'at-least-once' })
      await probe.receiveMessages(2)
      kit.dropNextBatch(0, 1)
      lost.tell.add(100)
      kept.tell.add(100)
      await kit.settle()
      expect(kit.trace.some((line) => line.startsWith('drop 0>1'))).toBe(true)
      expect(await kept.ask.add(0)).toBe(0) // the dropped batch never arrived
      await kit.crashWorker(1)
      await kit.settle()
      await probe.receiveMessages(2) // both restarted
      expect(await kept.ask.add(0)).toBe(100) // delivered again to the restarted actor
      expect(await lost.ask.add(0)).toBe(0) // at-most-once: gone (a dead letter)
      expect(kit.system.deadLetters.count).toBeGreaterThan(0)
    })
  })

  it('dropNextBatch and settle need deterministic mode, and name the bad argument', async () => {
    await withKit(1, async (kit) => {
      expect(() => kit.dropNextBatch(0, 9)).toThrow(/"to"/)
      await expect(kit.crashWorker(0)).rejects.toThrow(/"thread"/)
      await expect(kit.crashWorker(1, 300)).rejects.toThrow(/"code"/)
    })
    const kit = await TestKit.start({ actors: ACTORS, workers: 1 })
    try {
      expect(() => kit.dropNextBatch(0, 1)).toThrow(InvalidOptionError)
      expect(() => kit.settle()).toThrow(InvalidOptionError)
      expect(kit.mode).toBe('threads')
      expect(kit.trace).toEqual([])
    } finally {
      await kit.shutdown()
    }
  })
})
