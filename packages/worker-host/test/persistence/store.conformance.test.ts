import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, Worker } from 'node:worker_threads'
import { StoreConflictError, StoreError } from '@troupe/core'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EntityStore, StoredReminder } from '../../src/persistence/store/entity-store.js'
import { openLmdbStore } from '../../src/persistence/store/lmdb-store.js'
import { MemoryStore } from '../../src/persistence/store/memory-store.js'
import { openNatsStore } from '../../src/persistence/store/nats-store.js'
import { PortStore, serveStore } from '../../src/persistence/store/store-over-port.js'
import { startNatsServer, type NatsServer } from '../../src/testkit/nats-server.js'
import { describeWithNats } from '../helpers/nats.js'

/**
 * One suite, run against every `EntityStore`: LMDB (both durabilities, a fresh directory per
 * test), in memory, a PortStore in front of an in-memory store served on this thread and in
 * a worker thread, and NATS JetStream KV (one real nats-server for the file, fresh buckets per
 * test). What one store does, every store does.
 */

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined)
})

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values)

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  )
  if ('error' in outcome) return outcome.error as Error
  throw new Error(`expected a rejection, got ${String(outcome.value)}`)
}

async function conflictOf(promise: Promise<unknown>): Promise<{ entity: string; expected: number; actual: number; code: string }> {
  const error = await errorOf(promise)
  expect(error).toBeInstanceOf(StoreConflictError)
  const { entity, expected, actual, code } = error as StoreConflictError
  return { entity, expected, actual, code }
}

function storeConformance(name: string, makeStore: () => Promise<EntityStore>): void {
  describe(`store conformance: ${name}`, () => {
    it('loads nothing for an id never written', async () => {
      const store = await makeStore()
      expect(await store.load('t/none')).toBeUndefined()
      expect(await store.highestSeq('t/none')).toBe(0)
      expect(await store.read('t/none', 1)).toEqual([])
      expect(await store.loadSnapshot('t/none')).toBeUndefined()
      expect(await store.reminders()).toEqual([])
    })

    it('upsert writes revisions 1, 2, 3, and load returns the latest', async () => {
      const store = await makeStore()
      expect(await store.upsert('t/a', bytes(1), 0)).toBe(1)
      expect(await store.upsert('t/a', bytes(2, 2), 1)).toBe(2)
      expect(await store.upsert('t/a', new Uint8Array(0), 2)).toBe(3)
      expect(await store.load('t/a')).toStrictEqual({ state: new Uint8Array(0), revision: 3 })
      expect(await store.upsert('t/b', bytes(9), 0)).toBe(1)
      expect(await store.load('t/b')).toStrictEqual({ state: bytes(9), revision: 1 })
    })

    it('a conflicting upsert rejects with StoreConflictError (expected, actual) and writes nothing', async () => {
      const store = await makeStore()
      await store.upsert('t/a', bytes(1), 0)
      await store.upsert('t/a', bytes(2), 1)
      expect(await conflictOf(store.upsert('t/a', bytes(3), 1))).toEqual({ entity: 't/a', expected: 1, actual: 2, code: 'ERR_STORE_CONFLICT' })
      expect(await conflictOf(store.upsert('t/a', bytes(3), 0))).toMatchObject({ expected: 0, actual: 2 })
      expect(await conflictOf(store.upsert('t/a', bytes(3), 5))).toMatchObject({ expected: 5, actual: 2 })
      expect(await conflictOf(store.upsert('t/new', bytes(3), 1))).toMatchObject({ entity: 't/new', expected: 1, actual: 0 })
      expect(await store.load('t/a')).toStrictEqual({ state: bytes(2), revision: 2 })
      expect(await store.load('t/new')).toBeUndefined()
    })

    it('delete removes state, journal and snapshot, not reminders; the id then starts afresh', async () => {
      const store = await makeStore()
      await store.upsert('t/a', bytes(1), 0)
      await store.append('t/a', [bytes(1), bytes(2)], 0)
      await store.saveSnapshot('t/a', 2, bytes(7))
      await store.putReminder({ id: 't/a', name: 'tick', dueAt: 5 })
      await store.upsert('t/ab', bytes(2), 0) // an id the first one prefixes
      await store.append('t/ab', [bytes(3)], 0)
      await store.delete('t/a')
      expect(await store.load('t/a')).toBeUndefined()
      expect(await store.highestSeq('t/a')).toBe(0)
      expect(await store.read('t/a', 0)).toEqual([])
      expect(await store.loadSnapshot('t/a')).toBeUndefined()
      expect(await store.reminders()).toStrictEqual([{ id: 't/a', name: 'tick', dueAt: 5 }])
      expect(await store.load('t/ab')).toStrictEqual({ state: bytes(2), revision: 1 })
      expect(await store.read('t/ab', 1)).toStrictEqual([{ seq: 1, event: bytes(3) }])
      expect(await store.upsert('t/a', bytes(4), 0)).toBe(1)
      expect(await store.append('t/a', [bytes(5)], 0)).toBe(1)
    })

    it('delete with expectedRevision deletes at that revision only; a stale one conflicts and deletes nothing', async () => {
      const store = await makeStore()
      await store.upsert('t/a', bytes(1), 0)
      await store.upsert('t/a', bytes(2), 1)
      await store.append('t/a', [bytes(1)], 0)
      expect(await conflictOf(store.delete('t/a', 1))).toEqual({ entity: 't/a', expected: 1, actual: 2, code: 'ERR_STORE_CONFLICT' })
      expect(await store.load('t/a')).toStrictEqual({ state: bytes(2), revision: 2 })
      expect(await store.highestSeq('t/a')).toBe(1)
      await store.delete('t/a', 2)
      expect(await store.load('t/a')).toBeUndefined()
      expect(await store.highestSeq('t/a')).toBe(0)
    })

    it('deleting a missing id is not an error, unless a revision other than 0 is expected', async () => {
      const store = await makeStore()
      await store.delete('t/missing')
      await store.delete('t/missing', 0)
      expect(await conflictOf(store.delete('t/missing', 3))).toMatchObject({ expected: 3, actual: 0 })
    })

    it('append numbers events after expectedSeq, and read returns any range of them in order', async () => {
      const store = await makeStore()
      expect(await store.append('t/j', [bytes(1), bytes(2)], 0)).toBe(2)
      expect(await store.append('t/j', [bytes(3)], 2)).toBe(3)
      expect(await store.append('t/j', [bytes(4), bytes(5), new Uint8Array(0)], 3)).toBe(6)
      expect(await store.highestSeq('t/j')).toBe(6)
      const all = [1, 2, 3, 4, 5].map((n) => ({ seq: n, event: bytes(n) })).concat({ seq: 6, event: new Uint8Array(0) })
      expect(await store.read('t/j', 1)).toStrictEqual(all)
      expect(await store.read('t/j', 0)).toStrictEqual(all)
      expect(await store.read('t/j', 2, 4)).toStrictEqual(all.slice(1, 4))
      expect(await store.read('t/j', 4, 4)).toStrictEqual([all[3]])
      expect(await store.read('t/j', 5, 100)).toStrictEqual(all.slice(4))
      expect(await store.read('t/j', 7)).toEqual([])
      expect(await store.read('t/j', 4, 3)).toEqual([])
    })

    it('a conflicting append rejects with StoreConflictError and appends none of its events', async () => {
      const store = await makeStore()
      await store.append('t/j', [bytes(1), bytes(2)], 0)
      expect(await conflictOf(store.append('t/j', [bytes(8), bytes(9)], 1))).toEqual({ entity: 't/j', expected: 1, actual: 2, code: 'ERR_STORE_CONFLICT' })
      expect(await conflictOf(store.append('t/j', [bytes(8)], 0))).toMatchObject({ expected: 0, actual: 2 })
      expect(await conflictOf(store.append('t/j', [bytes(8)], 3))).toMatchObject({ expected: 3, actual: 2 })
      expect(await conflictOf(store.append('t/other', [bytes(8)], 4))).toMatchObject({ expected: 4, actual: 0 })
      expect(await store.read('t/j', 1)).toStrictEqual([{ seq: 1, event: bytes(1) }, { seq: 2, event: bytes(2) }])
      expect(await store.highestSeq('t/other')).toBe(0)
      // No events: only the check.
      expect(await store.append('t/j', [], 2)).toBe(2)
      expect(await conflictOf(store.append('t/j', [], 1))).toMatchObject({ expected: 1, actual: 2 })
      expect(await store.append('t/empty', [], 0)).toBe(0)
      expect(await store.highestSeq('t/empty')).toBe(0)
    })

    it('appends and reads agree with a model of the journal (property)', async () => {
      const store = await makeStore()
      const op = fc.oneof(
        fc.record({ kind: fc.constant('append' as const), id: fc.nat(1), count: fc.nat(3), offset: fc.constantFrom(0, 0, 0, -1, 1) }),
        fc.record({ kind: fc.constant('read' as const), id: fc.nat(1), from: fc.nat(8), to: fc.option(fc.nat(8), { nil: undefined }) }),
      )
      let run = 0
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
          const ids = [`p/${run}`, `p/${run}/x`] // one id prefixes the other
          run++
          const journals: Uint8Array[][] = [[], []]
          for (const step of ops) {
            const journal = journals[step.id]!
            if (step.kind === 'append') {
              const expectedSeq = Math.max(0, journal.length + step.offset)
              const events = Array.from({ length: step.count }, (_, i) => bytes(step.id, expectedSeq + i + 1, run & 0xff))
              if (expectedSeq === journal.length) {
                expect(await store.append(ids[step.id]!, events, expectedSeq)).toBe(journal.length + step.count)
                journal.push(...events)
              } else {
                expect(await conflictOf(store.append(ids[step.id]!, events, expectedSeq))).toMatchObject({ expected: expectedSeq, actual: journal.length })
              }
            } else {
              const last = Math.min(step.to ?? journal.length, journal.length)
              const expected = journal.map((event, i) => ({ seq: i + 1, event })).filter(({ seq }) => seq >= step.from && seq <= last)
              expect(await store.read(ids[step.id]!, step.from, step.to)).toStrictEqual(expected)
            }
            expect(await store.highestSeq(ids[step.id]!)).toBe(journal.length)
          }
        }),
        { numRuns: 30 },
      )
    })

    it('keeps the newest snapshot: an older seq is ignored, highestSeq is unchanged', async () => {
      const store = await makeStore()
      await store.append('t/s', [bytes(1), bytes(2), bytes(3)], 0)
      await store.saveSnapshot('t/s', 2, bytes(20))
      expect(await store.loadSnapshot('t/s')).toStrictEqual({ seq: 2, state: bytes(20) })
      await store.saveSnapshot('t/s', 1, bytes(10))
      expect(await store.loadSnapshot('t/s')).toStrictEqual({ seq: 2, state: bytes(20) })
      await store.saveSnapshot('t/s', 3, bytes(30))
      expect(await store.loadSnapshot('t/s')).toStrictEqual({ seq: 3, state: bytes(30) })
      expect(await store.highestSeq('t/s')).toBe(3)
      expect(await store.load('t/s')).toBeUndefined() // a snapshot is not the durable state
    })

    it('reminders: put, replace, delete (a missing one too) and list, per id and name', async () => {
      const store = await makeStore()
      const sorted = async (): Promise<StoredReminder[]> => (await store.reminders()).sort((a, b) => `${a.id} ${a.name}`.localeCompare(`${b.id} ${b.name}`))
      await store.putReminder({ id: 't/a', name: 'once', dueAt: 1000 })
      await store.putReminder({ id: 't/a', name: 'every', dueAt: 2000, periodMs: 500 })
      await store.putReminder({ id: 't/b', name: 'once', dueAt: 3000.5 })
      await store.putReminder({ id: 't/a', name: 'once', dueAt: 4000 })
      expect(await sorted()).toStrictEqual([
        { id: 't/a', name: 'every', dueAt: 2000, periodMs: 500 },
        { id: 't/a', name: 'once', dueAt: 4000 },
        { id: 't/b', name: 'once', dueAt: 3000.5 },
      ])
      await store.deleteReminder('t/a', 'every')
      await store.deleteReminder('t/a', 'never-set')
      await store.deleteReminder('t/none', 'once')
      expect(await sorted()).toStrictEqual([
        { id: 't/a', name: 'once', dueAt: 4000 },
        { id: 't/b', name: 'once', dueAt: 3000.5 },
      ])
    })

    it('copies bytes: mutating a buffer given or returned changes nothing stored', async () => {
      const store = await makeStore()
      const backing = bytes(0, 1, 2, 3, 4, 5)
      const state = backing.subarray(1, 4) // a view: only its own bytes are stored
      const writing = store.upsert('t/a', state, 0)
      state.fill(99) // before the write resolved (LMDB reads it on its write thread)
      await writing
      expect(backing).toStrictEqual(bytes(0, 99, 99, 99, 4, 5)) // the caller's buffer is its own still (not transferred)
      const events = [bytes(1), bytes(2)]
      const appending = store.append('t/a', events, 0)
      events[0]!.fill(99)
      await appending
      const snapshot = bytes(7, 7)
      const saving = store.saveSnapshot('t/a', 1, snapshot)
      snapshot.fill(99)
      await saving
      const reminder = { id: 't/a', name: 'r', dueAt: 1 }
      const reminding = store.putReminder(reminder)
      reminder.dueAt = 99
      await reminding
      ;(await store.load('t/a'))!.state.fill(99)
      ;(await store.read('t/a', 1))[1]!.event.fill(99)
      ;(await store.loadSnapshot('t/a'))!.state.fill(99)
      ;((await store.reminders())[0] as { dueAt: number }).dueAt = 99
      expect(await store.load('t/a')).toStrictEqual({ state: bytes(1, 2, 3), revision: 1 })
      expect(await store.read('t/a', 1)).toStrictEqual([{ seq: 1, event: bytes(1) }, { seq: 2, event: bytes(2) }])
      expect(await store.loadSnapshot('t/a')).toStrictEqual({ seq: 1, state: bytes(7, 7) })
      expect(await store.reminders()).toStrictEqual([{ id: 't/a', name: 'r', dueAt: 1 }])
    })

    it('many concurrent upserts to different ids all land', async () => {
      const store = await makeStore()
      const ids = Array.from({ length: 500 }, (_, i) => `many/${i}`)
      expect(await Promise.all(ids.map((id, i) => store.upsert(id, bytes(i & 0xff, i >> 8), 0)))).toEqual(ids.map(() => 1))
      expect(await Promise.all(ids.map((id, i) => store.upsert(id, bytes(i >> 8, i & 0xff), 1)))).toEqual(ids.map(() => 2))
      const loaded = await Promise.all(ids.map((id) => store.load(id)))
      expect(loaded).toStrictEqual(ids.map((_, i) => ({ state: bytes(i >> 8, i & 0xff), revision: 2 })))
    })

    it('of concurrent writes expecting the same revision or seq, exactly one wins', async () => {
      const store = await makeStore()
      for (const expected of [0, 1, 2]) {
        const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.upsert('t/race', bytes(expected, i), expected)))
        const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []))
        expect(won).toHaveLength(1)
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'ERR_STORE_CONFLICT', expected, actual: expected + 1 })
        }
        expect(await store.load('t/race')).toStrictEqual({ state: bytes(expected, won[0]!), revision: expected + 1 })
      }
      const appends = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.append('t/race', [bytes(i), bytes(i)], 0)))
      const appended = appends.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []))
      expect(appended).toHaveLength(1)
      expect(await store.read('t/race', 1)).toStrictEqual([1, 2].map((seq) => ({ seq, event: bytes(appended[0]!) })))
    })

    it('refuses malformed arguments with TypeError or RangeError, storing nothing', async () => {
      const store = await makeStore()
      await expect(store.upsert('', bytes(1), 0)).rejects.toThrow(RangeError)
      await expect(store.upsert('t/\0', bytes(1), 0)).rejects.toThrow(RangeError)
      await expect(store.upsert('t/\ud800', bytes(1), 0)).rejects.toThrow(RangeError)
      await expect(store.upsert('x'.repeat(2000), bytes(1), 0)).rejects.toThrow(RangeError)
      await expect(store.upsert(42 as never, bytes(1), 0)).rejects.toThrow(TypeError)
      await expect(store.upsert('t/a', [1] as never, 0)).rejects.toThrow(TypeError)
      await expect(store.upsert('t/a', bytes(1), -1)).rejects.toThrow(RangeError)
      await expect(store.append('t/a', [bytes(1)], 0.5)).rejects.toThrow(RangeError)
      await expect(store.append('t/a', ['x'] as never, 0)).rejects.toThrow(TypeError)
      await expect(store.read('t/a', -1)).rejects.toThrow(RangeError)
      await expect(store.putReminder({ id: 't/a', name: 'r', dueAt: Number.NaN })).rejects.toThrow(RangeError)
      await expect(store.putReminder({ id: 't/a', name: 'r', dueAt: 1, periodMs: 0 })).rejects.toThrow(RangeError)
      expect(await store.load('t/a')).toBeUndefined()
      expect(await store.highestSeq('t/a')).toBe(0)
      expect(await store.reminders()).toEqual([])
    })

    it('rejects every call after close with StoreError; close is idempotent', async () => {
      const store = await makeStore()
      await store.upsert('t/a', bytes(1), 0)
      await store.close()
      await store.close()
      const calls = [
        store.load('t/a'),
        store.upsert('t/a', bytes(2), 1),
        store.delete('t/a'),
        store.append('t/a', [bytes(1)], 0),
        store.read('t/a', 1),
        store.highestSeq('t/a'),
        store.saveSnapshot('t/a', 1, bytes(1)),
        store.loadSnapshot('t/a'),
        store.putReminder({ id: 't/a', name: 'r', dueAt: 1 }),
        store.deleteReminder('t/a', 'r'),
        store.reminders(),
      ]
      for (const call of calls) expect(await errorOf(call)).toBeInstanceOf(StoreError)
      await store.close()
    })
  })
}

async function lmdbStore(durability: 'sync' | 'process'): Promise<EntityStore> {
  const path = await mkdtemp(join(tmpdir(), 'troupe-store-'))
  const store = await openLmdbStore({ path, durability })
  cleanups.push(() => rm(path, { recursive: true, force: true }), () => store.close())
  return store
}

async function memoryStore(): Promise<EntityStore> {
  return new MemoryStore()
}

/** A PortStore to a MemoryStore served on this thread. */
async function sameThreadPortStore(): Promise<EntityStore> {
  const { port1, port2 } = new MessageChannel()
  const stop = serveStore(new MemoryStore(), port1)
  const store = new PortStore(port2)
  cleanups.push(async () => stop(), () => store.close())
  return store
}

const fixtures = new URL('./fixtures/', import.meta.url)
const workerOptions = { execArgv: ['--conditions=troupe-source'] }

/** A worker serving MemoryStores (fixtures/serve-memory-worker.mjs). */
async function startServingWorker(): Promise<Worker> {
  const worker = new Worker(new URL('serve-memory-worker.mjs', fixtures), workerOptions)
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', () => resolve())
  })
  return worker
}

let sharedWorker: Promise<Worker> | undefined
afterAll(async () => {
  await (await sharedWorker)?.terminate()
})

/** A PortStore to a MemoryStore served by a worker thread (one worker for the whole suite). */
async function workerPortStore(): Promise<EntityStore> {
  const worker = await (sharedWorker ??= startServingWorker())
  const { port1, port2 } = new MessageChannel()
  worker.postMessage({ port: port1 }, [port1])
  const store = new PortStore(port2)
  cleanups.push(() => store.close())
  return store
}

storeConformance('LmdbStore, durability sync', () => lmdbStore('sync'))
storeConformance('LmdbStore, durability process', () => lmdbStore('process'))
storeConformance('MemoryStore', memoryStore)
storeConformance('PortStore, served on this thread', sameThreadPortStore)
storeConformance('PortStore, served by a worker thread', workerPortStore)

describeWithNats('NatsStore on a real nats-server', () => {
  let server: NatsServer | undefined
  let buckets = 0
  beforeAll(async () => {
    server = await startNatsServer()
  })
  afterAll(async () => {
    await server?.stop()
  })
  /** A store on buckets of its own (a fresh prefix per test), over a connection of its own. */
  async function natsStore(): Promise<EntityStore> {
    const store = await openNatsStore({ servers: server!.url, bucket: `conformance-${++buckets}` })
    cleanups.push(() => store.close())
    return store
  }
  storeConformance('NatsStore', natsStore)
})

describe('PortStore: no call waits forever', () => {
  it('rejects the calls waiting and every later one with StoreError when the serving worker dies', async () => {
    const worker = await startServingWorker()
    cleanups.push(() => worker.terminate())
    const { port1, port2 } = new MessageChannel()
    const served = new Promise((resolve) => worker.once('message', resolve))
    worker.postMessage({ port: port1, stuck: true }, [port1])
    await served
    const store = new PortStore(port2)
    expect(await store.upsert('t/a', bytes(1), 0)).toBe(1)
    // Loads never finish on that worker: these wait until it dies.
    const waiting = Array.from({ length: 100 }, (_, i) => errorOf(store.load(`t/${i}`)))
    await worker.terminate()
    for (const error of await Promise.all(waiting)) expect(error).toBeInstanceOf(StoreError)
    expect(await errorOf(store.upsert('t/b', bytes(1), 0))).toBeInstanceOf(StoreError)
    await store.close()
  })

  it('rejects the calls waiting and every later one when the server stops serving', async () => {
    const { port1, port2 } = new MessageChannel()
    // A store whose loads never finish: only the stop can end the wait.
    class StuckStore extends MemoryStore {
      override load(): Promise<undefined> {
        return new Promise(() => undefined)
      }
    }
    const stop = serveStore(new StuckStore(), port1)
    const store = new PortStore(port2)
    const waiting = store.load('t/a')
    expect(await store.upsert('t/a', bytes(1), 0)).toBe(1) // served, while the load waits
    stop()
    expect(await errorOf(waiting)).toBeInstanceOf(StoreError)
    expect(await errorOf(store.highestSeq('t/a'))).toBeInstanceOf(StoreError)
  })

  it('answers a request it does not serve (close, an unknown method) with an error, not silence', async () => {
    const { port1, port2 } = new MessageChannel()
    const stop = serveStore(new MemoryStore(), port1)
    cleanups.push(async () => stop())
    const answers = new Promise<unknown[]>((resolve) => {
      const got: unknown[] = []
      port2.on('message', (answer) => got.push(answer) === 2 && resolve(got))
    })
    port2.postMessage({ id: 1, method: 'close', args: [] })
    port2.postMessage({ id: 2, method: 'nope' })
    expect(await answers).toMatchObject([
      { id: 1, ok: false, error: { code: 'ERR_STORE' } },
      { id: 2, ok: false, error: { code: 'ERR_STORE' } },
    ])
    port2.close()
  })

  it('keeps no process alive while idle', async () => {
    const script = fileURLToPath(new URL('idle-port-store.mjs', fixtures))
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--conditions=troupe-source', '--import', 'tsx', script], { timeout: 20_000 }, (error, out, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(out),
      )
    })
    expect(stdout).toBe('revision 1\n')
  })
})
