// The worked examples of docs/testing.md, as the guide shows them: the flash-sale inventory on
// manual time with a probe, and a lost update that exploreSeeds finds and a seed replays. The
// last test checks that every code block of those sections is code of this file or of
// src/testing-guide/, so the guide cannot drift from what runs here.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ActorSystem, SystemEvent } from 'troupe'
import { exploreSeeds, SeedFailureError, TestKit } from 'troupe/testkit'
import { Inventory } from '../src/flash-sale/inventory.js'
import { LogWriter } from '../src/store/index.js'
import { Account, Depositor, SafeDepositor } from '../src/testing-guide/account.js'
import { ACCOUNT_ACTORS, SALE_TEST_ACTORS } from '../src/testing-guide/actor-modules.js'
import { PatientBuyer, type BuyerNote } from '../src/testing-guide/patient-buyer.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'troupe-testing-guide-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The next event of this type on `system.events`. Call it before doing what causes the event. */
function nextEvent<T extends SystemEvent['type']>(system: ActorSystem, type: T): Promise<Extract<SystemEvent, { type: T }>> {
  return new Promise((resolve) => {
    const unsubscribe = system.events.subscribe((event) => {
      if (event.type !== type) return
      unsubscribe()
      resolve(event as Extract<SystemEvent, { type: T }>)
    })
  })
}

describe('docs/testing.md, worked example 1: the flash-sale inventory on manual time', () => {
  it('a refused write: the buyer backs off, the inventory restarts after its backoff, and the retry sells', async () => {
    await using kit = await TestKit.start({
      actors: SALE_TEST_ACTORS,
      workers: 2,
      manualTime: true,
      supervision: { backoff: { minMs: 1_000, maxMs: 1_000, jitter: 0 } }, // each restart waits 1 s
    })
    const clock = kit.clock!
    const writer = await kit.system.spawn(LogWriter, { placement: { worker: 1 }, args: [{ path: join(dir, 'sale.log') }] })
    const inventory = await kit.system.spawn(Inventory, { placement: { worker: 0 }, args: [writer, { sku: 'tea', initialStock: 2 }] })
    const probe = await kit.createProbe<BuyerNote>()
    const buyer = await kit.system.spawn(PatientBuyer, { placement: { worker: 1 }, args: [inventory, 'ada', probe.ref] })

    // A plain sale.
    buyer.tell.buy('p-1')
    await probe.expectMessage({ status: 'sold', purchaseId: 'p-1', replayed: false, tries: 1 })

    // Someone else loads the log: the writer hands out a new fence and refuses the inventory's
    // next append. The inventory fails on purpose; the buyer hears that the sale is uncertain.
    const failed = nextEvent(kit.system, 'actor-failed')
    await writer.ask.load()
    buyer.tell.buy('p-2')
    await probe.expectMessage({ status: 'retrying', purchaseId: 'p-2', tries: 1, inMs: 10, code: 'ERR_PURCHASE_UNCERTAIN' })
    expect((await failed).directive).toBe('restart') // the 1 s restart timer is set now

    // Time stands still: no retry, no restart.
    await probe.expectNoMessage(100)

    // 10 ms: the retry goes out. It waits in the mailbox of the inventory, which waits out its backoff.
    await clock.advance(10)
    await probe.expectNoMessage(100)

    // 1 s after the failure: a fresh inventory reads the log back and takes the retry.
    await clock.advance(990)
    await probe.expectMessage({ status: 'sold', purchaseId: 'p-2', replayed: false, tries: 2 })
    expect(await inventory.ask.report()).toMatchObject({ sold: 2, remaining: 0, recoveredSold: 1 })

    // What it sold before the restart is answered from the log; the stock is gone.
    buyer.tell.buy('p-1')
    buyer.tell.buy('p-3')
    expect(await probe.receiveMessages(2)).toEqual([
      { status: 'sold', purchaseId: 'p-1', replayed: true, tries: 1 },
      { status: 'sold-out', purchaseId: 'p-3', tries: 1 },
    ])
  })
})

describe('docs/testing.md, worked example 2: a lost update found by exploreSeeds', () => {
  const options = { actors: ACCOUNT_ACTORS, workers: 2 }

  /** Two clients, on two workers, deposit 10 each at the same time: the balance must be 20. */
  const twoDeposits = (Client: typeof Depositor | typeof SafeDepositor) => async (kit: TestKit) => {
    const account = await kit.system.spawn(Account, { placement: { worker: 0 } })
    const alice = await kit.system.spawn(Client, { placement: { worker: 0 } })
    const bob = await kit.system.spawn(Client, { placement: { worker: 1 } })
    await Promise.all([alice.ask.deposit(account, 10), bob.ask.deposit(account, 10)])
    expect(await account.ask.balance()).toBe(20)
  }

  it('finds the seed that loses an update, and the seed replays the same run', async () => {
    const error = await exploreSeeds({ ...options, seeds: 100 }, twoDeposits(Depositor)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SeedFailureError)
    const failure = error as SeedFailureError
    expect(failure.message).toMatch(/^seed \d+ failed \(run \d+ of the exploration\): AssertionError: expected 10 to be 20/)

    await using kit = await TestKit.deterministic({ ...options, seed: failure.seed })
    await expect(twoDeposits(Depositor)(kit)).rejects.toThrow('expected 10 to be 20')
    expect(kit.trace).toEqual(failure.trace)
  })

  it('the fix passes every seed', async () => {
    expect(await exploreSeeds({ ...options, seeds: 100 }, twoDeposits(SafeDepositor))).toBe(100)
  })
})

describe('docs/testing.md', () => {
  it('every code block of its worked examples is code of this test or of src/testing-guide/', async () => {
    const guide = await readFile(new URL('../../../docs/testing.md', import.meta.url), 'utf8')
    const sourceDir = new URL('../src/testing-guide/', import.meta.url)
    const sources = [await readFile(new URL(import.meta.url), 'utf8')]
    for (const name of await readdir(sourceDir)) sources.push(await readFile(new URL(name, sourceDir), 'utf8'))
    // Indentation and blank lines aside, each block must appear as it is in one of the files.
    const normalize = (code: string): string =>
      code
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .join('\n')
    const files = sources.map(normalize)
    const sections = guide.split(/^## /m).filter((section) => section.startsWith('Worked example'))
    expect(sections).toHaveLength(2)
    const blocks = sections.flatMap((section) => [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!))
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    for (const block of blocks) expect(files.some((file) => file.includes(normalize(block))), block).toBe(true)
  })
})
