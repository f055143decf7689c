import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { connect } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import { Kvm, type KV } from '@nats-io/kv'
import { InvalidOptionError, StoreConflictError, StoreError } from '@troupe/core'
import { resolvePersistence } from '@troupe/core/internal'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { ActorSystem, type ActorSystemOptions } from '../../src/index.js'
import { NatsStore, openNatsStore, type NatsStoreOptions } from '../../src/persistence/store/nats-store.js'
import { decodeKeyText, encodeKeyText } from '../../src/persistence/store/nats-keys.js'
import { freePort, startNatsServer, type NatsServer } from '../../src/testkit/nats-server.js'
import { Account, Tally } from '../fixtures/entities.js'
import { describeWithNats, natsServerBinary, natsServerForTest } from '../helpers/nats.js'
import { FIXTURE_ACTORS, errorOf, eventually, until } from '../helpers/system.js'

/**
 * What only the NATS store does: keys made from arbitrary ids, several writers on several
 * connections, a server that goes away, its option, and a system of entities on it. One real
 * nats-server for the file (tests that kill a server start their own); each test uses buckets
 * of its own (a fresh prefix).
 */

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values)
/** What NATS allows in a KV key. */
const KV_KEY = /^[-/_=.a-zA-Z0-9]+$/

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined)
})

let server: NatsServer | undefined
let prefixes = 0
const freshPrefix = (): string => `nats-test-${++prefixes}`

async function open(options: Partial<NatsStoreOptions> & { bucket: string }, on = server!): Promise<NatsStore> {
  const store = await openNatsStore({ servers: on.url, ...options })
  cleanups.push(() => store.close())
  return store
}

/** A KV handle on one of a store's buckets, over a connection of the test's own: to look under the store. */
async function rawBucket(name: string): Promise<KV> {
  const connection = await connect({ servers: server!.url })
  cleanups.push(() => connection.close())
  return new Kvm(jetstream(connection)).open(name)
}

async function listKeys(kv: KV): Promise<string[]> {
  const keys: string[] = []
  for await (const key of await kv.keys()) keys.push(key)
  return keys
}

/** Opens a store on a server that may still be starting (asking again until it answers). */
async function eventuallyOpen(options: NatsStoreOptions): Promise<NatsStore> {
  const store = await eventually(() => openNatsStore(options))
  cleanups.push(() => store.close())
  return store
}

describeWithNats('NatsStore', () => {
  beforeAll(async () => {
    server = await startNatsServer()
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('turns any id into valid KV key tokens and back (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 }), (text) => {
        const key = encodeKeyText(text)
        expect(key).toMatch(KV_KEY)
        expect(key.split('.').every((token) => token.length > 0 && token.length <= 256)).toBe(true)
        expect(decodeKeyText(key)).toBe(text)
      }),
      { numRuns: 300 },
    )
  })

  it('stores and lists back ids with unicode, slashes, dots, spaces, wildcards and 1 000+ bytes', async () => {
    const bucket = freshPrefix()
    const store = await open({ bucket })
    const ids = [
      'tally/héllo wörld',
      'tally/a/b/c',
      'tally/ spaced  out ',
      'tally/😀🎉',
      'tally/a.b',
      'tally/a', // a prefix of the one above
      'tally/*',
      'tally/>',
      'tally/' + 'é'.repeat(509), // 1 024 bytes in UTF-8: the longest id
      'x/' + 'z'.repeat(1000) + '.' + 'q'.repeat(21),
    ]
    expect(Buffer.byteLength(ids[8]!)).toBe(1024)
    const names = ['tick', 'ñame with space', 'n'.repeat(512)]
    for (const [i, id] of ids.entries()) {
      expect(await store.upsert(id, bytes(i), 0)).toBe(1)
      expect(await store.append(id, [bytes(i, 1), bytes(i, 2)], 0)).toBe(2)
      expect(await store.append(id, [bytes(i, 3)], 2)).toBe(3)
      await store.saveSnapshot(id, 2, bytes(i, 9))
      for (const [j, name] of names.entries()) await store.putReminder({ id, name, dueAt: i * 10 + j })
    }
    for (const [i, id] of ids.entries()) {
      expect(await store.load(id)).toStrictEqual({ state: bytes(i), revision: 1 })
      expect(await store.read(id, 1)).toStrictEqual([1, 2, 3].map((n) => ({ seq: n, event: bytes(i, n) })))
      expect(await store.loadSnapshot(id)).toStrictEqual({ seq: 2, state: bytes(i, 9) })
    }
    const key = (r: { id: string; name: string }): string => `${r.id}\0${r.name}`
    const listed = (await store.reminders()).sort((a, b) => (key(a) < key(b) ? -1 : 1))
    const expected = ids.flatMap((id, i) => names.map((name, j) => ({ id, name, dueAt: i * 10 + j }))).sort((a, b) => (key(a) < key(b) ? -1 : 1))
    expect(listed).toStrictEqual(expected)
    // Another store on the same buckets (another connection) sees the same.
    const other = await open({ bucket })
    expect((await other.reminders()).length).toBe(ids.length * names.length)
    expect(await other.load(ids[8]!)).toStrictEqual({ state: bytes(8), revision: 1 })
    // Every key the store made is a valid NATS key.
    for (const suffix of ['state', 'journal', 'snapshots', 'reminders']) {
      for (const k of await listKeys(await rawBucket(`${bucket}-${suffix}`))) expect(k).toMatch(KV_KEY)
    }
  })

  it('fences two writers on two connections: of concurrent writes at one revision or seq, exactly one wins', async () => {
    const bucket = freshPrefix()
    const [a, b] = [await open({ bucket }), await open({ bucket })]
    for (const expected of [0, 1, 2]) {
      const outcomes = await Promise.allSettled([a.upsert('t/race', bytes(1, expected), expected), b.upsert('t/race', bytes(2, expected), expected)])
      const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []))
      expect(won).toHaveLength(1)
      const lost = outcomes[1 - won[0]!] as PromiseRejectedResult
      expect(lost.reason).toBeInstanceOf(StoreConflictError)
      expect(lost.reason).toMatchObject({ expected, actual: expected + 1 })
      expect(await a.load('t/race')).toStrictEqual({ state: bytes(won[0]! + 1, expected), revision: expected + 1 })
      expect(await b.load('t/race')).toStrictEqual({ state: bytes(won[0]! + 1, expected), revision: expected + 1 })
    }
    let seq = 0
    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.allSettled([a.append('t/race', [bytes(1, round), bytes(1, round)], seq), b.append('t/race', [bytes(2, round), bytes(2, round)], seq)])
      const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []))
      expect(won).toHaveLength(1)
      expect((outcomes[1 - won[0]!] as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_STORE_CONFLICT', expected: seq, actual: seq + 2 })
      seq += 2
      const events = await b.read('t/race', seq - 1)
      expect(events).toStrictEqual([seq - 1, seq].map((n) => ({ seq: n, event: bytes(won[0]! + 1, round) })))
    }
    expect(await a.highestSeq('t/race')).toBe(6)
    expect((await a.read('t/race', 1)).map(({ seq: n }) => n)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('a writer whose knowledge is stale (the other wrote since) conflicts, then goes on from what it reads', async () => {
    const bucket = freshPrefix()
    const [a, b] = [await open({ bucket }), await open({ bucket })]
    await a.upsert('t/s', bytes(1), 0)
    await a.append('t/s', [bytes(1)], 0) // a now holds what it wrote: its next write needs no read
    expect(await b.upsert('t/s', bytes(2), 1)).toBe(2)
    expect(await b.append('t/s', [bytes(2)], 1)).toBe(2)
    expect(await errorOf(a.upsert('t/s', bytes(3), 1))).toMatchObject({ code: 'ERR_STORE_CONFLICT', expected: 1, actual: 2 })
    expect(await errorOf(a.append('t/s', [bytes(3)], 1))).toMatchObject({ code: 'ERR_STORE_CONFLICT', expected: 1, actual: 2 })
    expect(await a.upsert('t/s', bytes(3), 2)).toBe(3)
    expect(await a.append('t/s', [bytes(3)], 2)).toBe(3)
    expect(await b.load('t/s')).toStrictEqual({ state: bytes(3), revision: 3 })
    expect(await b.read('t/s', 1)).toStrictEqual([1, 2, 3].map((n) => ({ seq: n, event: bytes(n) })))
    await a.saveSnapshot('t/s', 3, bytes(30))
    // A delete by one is seen by the other: its next write starts afresh.
    await b.delete('t/s')
    expect(await a.loadSnapshot('t/s')).toBeUndefined()
    await a.saveSnapshot('t/s', 1, bytes(10))
    expect(await b.loadSnapshot('t/s')).toStrictEqual({ seq: 1, state: bytes(10) })
    expect(await errorOf(a.upsert('t/s', bytes(4), 3))).toMatchObject({ code: 'ERR_STORE_CONFLICT', expected: 3, actual: 0 })
    expect(await errorOf(a.append('t/s', [bytes(4)], 3))).toMatchObject({ code: 'ERR_STORE_CONFLICT', expected: 3, actual: 0 })
    expect(await a.upsert('t/s', bytes(5), 0)).toBe(1)
    expect(await a.append('t/s', [bytes(5)], 0)).toBe(1)
    expect(await b.read('t/s', 1)).toStrictEqual([{ seq: 1, event: bytes(5) }])
  })

  it("a value larger than the server's max_payload fails with StoreError saying so, and stores nothing", async () => {
    const store = await open({ bucket: freshPrefix() })
    const big = new Uint8Array(1024 * 1024) // + the 8-byte header: over the default 1 MiB
    const failing = [errorOf(store.upsert('t/big', big, 0)), errorOf(store.append('t/big', [big.subarray(0, 600_000), big.subarray(0, 600_000)], 0)), errorOf(store.saveSnapshot('t/big', 1, big))]
    for (const error of await Promise.all(failing)) {
      expect(error).toBeInstanceOf(StoreError)
      expect(error.message).toMatch(/max_payload/)
    }
    expect(await store.load('t/big')).toBeUndefined()
    expect(await store.highestSeq('t/big')).toBe(0)
    expect(await store.loadSnapshot('t/big')).toBeUndefined()
    expect(await store.upsert('t/big', big.subarray(0, 1000), 0)).toBe(1)
  })

  it('what an append that never committed left behind is never read, and is overwritten by later appends', async () => {
    const bucket = freshPrefix()
    const store = await open({ bucket })
    const id = 't/crash'
    await store.append(id, [bytes(1)], 0)
    await store.append(id, [bytes(2)], 1)
    // Event keys beyond the head, as a writer that died between its steps (or a stale one) might leave them.
    const journal = await rawBucket(`${bucket}-journal`)
    for (const seq of [3, 4, 5]) await journal.put(`e.${encodeKeyText(id)}.0.${seq}`, bytes(99, seq))
    expect(await store.highestSeq(id)).toBe(2)
    expect(await store.read(id, 1)).toStrictEqual([{ seq: 1, event: bytes(1) }, { seq: 2, event: bytes(2) }])
    expect(await store.read(id, 3, 5)).toEqual([])
    for (let seq = 3; seq <= 6; seq++) expect(await store.append(id, [bytes(seq)], seq - 1)).toBe(seq)
    const fresh = await open({ bucket }) // reads everything from the server
    expect(await fresh.read(id, 1)).toStrictEqual([1, 2, 3, 4, 5, 6].map((n) => ({ seq: n, event: bytes(n) })))
  })

  it('a killed server makes every call reject with StoreError naming it, within its timeouts; close still ends', async () => {
    const own = await natsServerForTest()
    const store = await open({ bucket: freshPrefix(), timeoutMs: 500 }, own)
    await store.upsert('t/k', bytes(1), 0)
    await store.append('t/k', [bytes(1)], 0)
    // Calls under way when it dies, and calls made after.
    const during = Array.from({ length: 100 }, (_, i) => store.upsert(`t/during/${i}`, bytes(i), 0).catch((error: unknown) => error))
    await own.kill()
    const started = Date.now()
    // errorOf takes each rejection at once: none is left unhandled while an earlier one is awaited.
    const after: [RegExp, Promise<Error>][] = [
      [/could not load t\/k/, errorOf(store.load('t/k'))],
      [/could not upsert t\/k/, errorOf(store.upsert('t/k', bytes(2), 1))],
      [/could not append to t\/k/, errorOf(store.append('t/k', [bytes(2)], 1))],
      [/could not read the journal of t\/k/, errorOf(store.read('t/k', 1))],
      [/could not read the journal of t\/k/, errorOf(store.highestSeq('t/k'))],
      [/could not save a snapshot of t\/k/, errorOf(store.saveSnapshot('t/k', 1, bytes(1)))],
      [/could not load the snapshot of t\/k/, errorOf(store.loadSnapshot('t/k'))],
      [/could not store a reminder of t\/k/, errorOf(store.putReminder({ id: 't/k', name: 'r', dueAt: 1 }))],
      [/could not delete a reminder of t\/k/, errorOf(store.deleteReminder('t/k', 'r'))],
      [/could not list the reminders/, errorOf(store.reminders())],
      [/could not delete t\/k/, errorOf(store.delete('t/k'))],
    ]
    for (const [message, failing] of after) {
      const error = await failing
      expect(error).toBeInstanceOf(StoreError)
      expect(error.message).toMatch(message)
    }
    for (const outcome of await Promise.all(during)) if (outcome !== 1) expect(outcome).toBeInstanceOf(StoreError)
    expect(Date.now() - started).toBeLessThan(5000)
    await store.close()
    expect(Date.now() - started).toBeLessThan(6000)
    expect(await errorOf(store.load('t/k'))).toBeInstanceOf(StoreError)
  })

  it('works again once the server is back on the same port and directory', async () => {
    // The testkit picks a new port and directory per server: this one is started by hand, and killed by PID.
    const port = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'troupe-nats-back-'))
    const launch = (): ReturnType<typeof spawn> => spawn(natsServerBinary!, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' })
    let child = launch()
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, 'SIGKILL')
        await once(child, 'exit')
      }
      rmSync(dir, { recursive: true, force: true })
    })
    const url = `nats://127.0.0.1:${port}`
    const store = await eventuallyOpen({ servers: url, bucket: freshPrefix(), timeoutMs: 500 })
    expect(await store.upsert('t/back', bytes(1), 0)).toBe(1)
    process.kill(child.pid!, 'SIGKILL')
    await once(child, 'exit')
    expect(await errorOf(store.load('t/back'))).toBeInstanceOf(StoreError)
    child = launch()
    // The client reconnects by itself (every second): calls fail until then, and work after.
    expect(await eventually(() => store.load('t/back'))).toStrictEqual({ state: bytes(1), revision: 1 })
    expect(await store.upsert('t/back', bytes(2), 1)).toBe(2)
  })

  it('opening on a port where no server listens fails with StoreError within the timeout', async () => {
    const started = Date.now()
    const error = await errorOf(openNatsStore({ servers: `nats://127.0.0.1:${await freePort()}`, bucket: freshPrefix(), timeoutMs: 1000 }))
    expect(error).toBeInstanceOf(StoreError)
    expect(error.message).toMatch(/cannot open the NATS entity store: cannot connect to nats:\/\/127\.0\.0\.1:/)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('a store given a connection does not close it, and stops serving at close', async () => {
    const connection = await connect({ servers: server!.url })
    cleanups.push(() => connection.close())
    const bucket = freshPrefix()
    const borrowed = await openNatsStore({ connection, bucket })
    await borrowed.upsert('t/c', bytes(1), 0)
    await borrowed.close()
    expect(connection.isClosed()).toBe(false)
    expect(await errorOf(borrowed.load('t/c'))).toBeInstanceOf(StoreError)
    const again = await openNatsStore({ connection, bucket }) // the connection still serves
    expect(await again.load('t/c')).toStrictEqual({ state: bytes(1), revision: 1 })
    await again.close()
    const owning = await openNatsStore({ servers: server!.url, bucket })
    expect(await owning.load('t/c')).toStrictEqual({ state: bytes(1), revision: 1 })
    await owning.close()
    expect(await errorOf(owning.load('t/c'))).toBeInstanceOf(StoreError)
  })

  it('loads nothing of NATS in a system that does not use it, until a NATS store is opened', async () => {
    const script = fileURLToPath(new URL('./fixtures/lazy-nats.mjs', import.meta.url))
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--conditions=troupe-source', '--import', 'tsx', script, server!.url], { timeout: 20_000 }, (error, out, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(out),
      )
    })
    const lines = stdout.trim().split('\n')
    const systemDone = lines.indexOf('system done')
    expect(lines.slice(0, systemDone)).toEqual(['count 1'])
    expect(lines.slice(systemDone + 1, -1).some((line) => line.includes('@nats-io/kv'))).toBe(true)
    expect(lines.at(-1)).toBe('store done')
  })

  it('validates the persistence option, naming the option it refuses', async () => {
    expect(resolvePersistence({ store: 'nats', servers: 'nats://127.0.0.1:4222' })).toStrictEqual({ store: 'nats', servers: ['nats://127.0.0.1:4222'], bucket: 'troupe', replicas: 1 })
    expect(resolvePersistence({ store: 'nats', servers: ['nats://a:1', 'b:2'], bucket: 'my_app-1', replicas: 3 })).toStrictEqual({
      store: 'nats',
      servers: ['nats://a:1', 'b:2'],
      bucket: 'my_app-1',
      replicas: 3,
    })
    const refusals: [unknown, RegExp][] = [
      [{ store: 'nats' }, /option "persistence.servers" must be a NATS URL such as 'nats:\/\/127.0.0.1:4222', or a non-empty array of them; received undefined/],
      [{ store: 'nats', servers: [] }, /option "persistence.servers" must be/],
      [{ store: 'nats', servers: 'not a url' }, /option "persistence.servers" must be a NATS URL/],
      [{ store: 'nats', servers: ['nats://a:1', 42] }, /option "persistence.servers\[1\]" must be a NATS URL .*; received 42/],
      [{ store: 'nats', servers: 'nats://a:1', bucket: 'a.b' }, /option "persistence.bucket" must be a bucket name prefix of 1 to 64 letters, digits, _ or -; received "a.b"/],
      [{ store: 'nats', servers: 'nats://a:1', bucket: '' }, /option "persistence.bucket"/],
      [{ store: 'nats', servers: 'nats://a:1', bucket: 'x'.repeat(65) }, /option "persistence.bucket"/],
      [{ store: 'nats', servers: 'nats://a:1', replicas: 0 }, /option "persistence.replicas" must be an integer from 1 to 5; received 0/],
      [{ store: 'nats', servers: 'nats://a:1', replicas: 6 }, /option "persistence.replicas"/],
      [{ store: 'nats', servers: 'nats://a:1', replicas: 1.5 }, /option "persistence.replicas"/],
      [{ store: 'nats', servers: 'nats://a:1', path: './x' }, /option "persistence.path" must be one of the known options \(store, servers, bucket, replicas\)/],
    ]
    for (const [value, message] of refusals) {
      expect(() => resolvePersistence(value)).toThrow(InvalidOptionError)
      expect(() => resolvePersistence(value)).toThrow(message)
    }
    await expect(ActorSystem.start({ actors: FIXTURE_ACTORS, persistence: { store: 'nats', servers: server!.url, replicas: 9 } })).rejects.toThrow(/persistence\.replicas/)
    // The store's own options, for a store opened directly.
    await expect(openNatsStore({ servers: server!.url, bucket: 'no.dots' })).rejects.toThrow(/option "bucket"/)
    await expect(openNatsStore({ bucket: 'b' })).rejects.toThrow(/option "servers"/)
    await expect(openNatsStore({ servers: server!.url, timeoutMs: 0 })).rejects.toThrow(/option "timeoutMs"/)
    await expect(openNatsStore({ servers: server!.url, connection: {} as never })).rejects.toThrow(/option "servers" must be absent/)
  })

  it('an entity system on NATS keeps state, journals and reminders across a full shutdown and restart', async () => {
    const bucket = freshPrefix()
    const options: ActorSystemOptions = { workers: 2, actors: FIXTURE_ACTORS, persistence: { store: 'nats', servers: server!.url, bucket } }
    const keys = ['a', 'b', 'c', 'd', 'ünï côdé/with slash']
    const before = await ActorSystem.start(options)
    try {
      for (const [i, key] of keys.entries()) expect(await before.entity(Tally, key).ask.add(i + 1)).toBe(i + 1)
      expect(await before.entity(Tally, 'a').ask.add(10)).toBe(11)
      for (let i = 1; i <= 12; i++) await before.entity(Account, 'acc').ask.deposit(100) // snapshots every 5 events
      await before.entity(Tally, 'r').ask.remindIn('later', 2000)
    } finally {
      await before.shutdown()
    }
    // Stored where the buckets say.
    const store = await open({ bucket })
    expect(await store.highestSeq('account/acc')).toBe(12)
    expect((await store.loadSnapshot('account/acc'))?.seq).toBe(10)
    expect(await store.reminders()).toMatchObject([{ id: 'tally/r', name: 'later' }])

    const after = await ActorSystem.start(options)
    cleanups.push(() => after.shutdown())
    expect((await after.entity(Tally, 'a').ask.get()).count).toBe(11)
    for (const [i, key] of keys.slice(1).entries()) expect((await after.entity(Tally, key).ask.get()).count).toBe(i + 2)
    expect(await after.entity(Account, 'acc').ask.balance()).toMatchObject({ cents: 1200, events: 12 })
    expect(await after.entity(Account, 'acc').ask.deposit(1)).toBe(1201)
    // The reminder fires in the new system (or fired before the shutdown: either way it was stored and ran once).
    await until(async () => (await after.entity(Tally, 'r').ask.get()).fired.length > 0)
    expect((await after.entity(Tally, 'r').ask.get()).fired).toEqual(['later'])
    await until(async () => (await store.reminders()).length === 0)
  })

  it('two systems on one store: the stale activation gets StoreConflictError instead of overwriting', async () => {
    const bucket = freshPrefix()
    const options: ActorSystemOptions = { workers: 1, actors: FIXTURE_ACTORS, persistence: { store: 'nats', servers: server!.url, bucket } }
    const [one, two] = [await ActorSystem.start(options), await ActorSystem.start(options)]
    cleanups.push(
      () => one.shutdown(),
      () => two.shutdown(),
    )
    expect(await one.entity(Tally, 'shared').ask.add(1)).toBe(1)
    expect(await two.entity(Tally, 'shared').ask.add(1)).toBe(2) // activates from what one stored
    const error = await errorOf(one.entity(Tally, 'shared').ask.add(1)) // one's activation still holds revision 1
    expect(error).toBeInstanceOf(StoreConflictError)
    expect(error).toMatchObject({ entity: 'tally/shared', expected: 1, actual: 2 })
    expect((await two.entity(Tally, 'shared').ask.get()).count).toBe(2)
  })
})
