import { describe, expect, it } from 'vitest'
import { encodeValue, decodeValue, DETACHED_RUNTIME } from '@troupe/core/internal'
import { ActorSystem } from '../../src/index.js'
import { openLmdbStore } from '../../src/persistence/store/lmdb-store.js'
import { Account } from '../fixtures/entities.js'
import { FIXTURE_ACTORS, afterTest, errorOf } from '../helpers/system.js'
import { tempStoreDir } from '../helpers/store.js'


async function start(path: string): Promise<ActorSystem> {
  const system = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS, persistence: { store: 'lmdb', path } })
  afterTest(() => system.shutdown())
  return system
}

describe('event-sourced entities', () => {
  it('journal what handlers persist, snapshot every snapshotEvery events, and recover from the snapshot and the events after it', async () => {
    const path = tempStoreDir()
    const system = await start(path)
    const account = system.entity(Account, 'acc-1')
    for (let i = 1; i <= 12; i++) expect(await account.ask.deposit(100)).toBe(i * 100)
    await system.shutdown()

    const store = await openLmdbStore({ path })
    expect(await store.highestSeq('account/acc-1')).toBe(12)
    const snapshot = await store.loadSnapshot('account/acc-1')
    expect(snapshot?.seq).toBe(10)
    expect(decodeValue(snapshot!.state, DETACHED_RUNTIME)).toEqual({ cents: 1000, events: 10 })
    const after = await store.read('account/acc-1', 11)
    expect(after.map((event) => decodeValue(event.event, DETACHED_RUNTIME))).toEqual([
      [2, { type: 'deposited', cents: 100 }],
      [2, { type: 'deposited', cents: 100 }],
    ])
    await store.close()

    const again = await start(path)
    expect(await again.entity(Account, 'acc-1').ask.balance()).toMatchObject({ cents: 1200, events: 12 })
  })

  it('a message that fails journals nothing and leaves the state as the journal has it', async () => {
    const system = await start(tempStoreDir())
    const account = system.entity(Account, 'acc-2')
    await account.ask.deposit(500)
    expect((await errorOf(account.ask.withdraw(800))).message).toBe('insufficient funds for 800')
    expect(await account.ask.balance()).toMatchObject({ cents: 500, events: 1 })
    const before = await account.ask.balance()
    await account.ask.passivate()
    const replayed = await account.ask.balance()
    expect(replayed.serial).not.toBe(before.serial)
    expect(replayed).toMatchObject({ cents: 500, events: 1 })
    expect(await account.ask.withdraw(200)).toBe(300)
  })

  it('upcasts events stored under an older eventVersion when it replays them', async () => {
    const path = tempStoreDir()
    const store = await openLmdbStore({ path })
    // Written by version 1 of the class: whole units, under `amount`.
    await store.append('account/old', [encodeValue([1, { type: 'deposited', amount: 7 }]), encodeValue([1, { type: 'withdrawn', amount: 2 }])], 0)
    await store.close()
    const system = await start(path)
    const account = system.entity(Account, 'old')
    expect(await account.ask.balance()).toMatchObject({ cents: 500, events: 2 })
    expect(await account.ask.deposit(1)).toBe(501) // new events go after the old ones, in the new shape
  })
})
