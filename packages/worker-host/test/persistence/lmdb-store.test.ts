import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { InvalidOptionError, StoreError } from '@troupe/core'
import { afterEach, describe, expect, it } from 'vitest'
import { LmdbStore, openLmdbStore } from '../../src/persistence/store/lmdb-store.js'
import { MemoryStore } from '../../src/persistence/store/memory-store.js'
import { resolvePersistence } from '@troupe/core/internal'
import { APPENDERS, EVENTS_PER_APPEND, UPSERTERS, eventBytes, stateBytes } from './fixtures/kill-writer.js'

/** What only the LMDB store does: outlive its process, share a directory between threads, group commit. */

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined)
})

async function tempDir(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'troupe-lmdb-'))
  cleanups.push(() => rm(path, { recursive: true, force: true }))
  return path
}

async function open(path: string, durability: 'sync' | 'process' = 'sync'): Promise<LmdbStore> {
  const store = await openLmdbStore({ path, durability })
  cleanups.push(() => store.close())
  return store
}

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url)

describe('LmdbStore durability', () => {
  it.each(['sync', 'process'] as const)('keeps every acknowledged write, whole, through a SIGKILL of its process (%s)', async (durability) => {
    const path = await tempDir()
    const child = spawn(process.execPath, ['--conditions=troupe-source', '--import', 'tsx', fileURLToPath(fixture('kill-writer.ts')), path, durability], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    // Highest acknowledged revision / seq per writer; every line is read, even after the kill.
    const acked = { u: new Array<number>(UPSERTERS).fill(0), j: new Array<number>(APPENDERS).fill(0) }
    let lines = 0
    let pending = ''
    const enough = new Promise<void>((resolveEnough, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const text = pending + chunk.toString()
        const complete = text.split('\n')
        pending = complete.pop()!
        for (const line of complete) {
          const [kind, writer, value] = line.split(' ')
          if (kind === 'u' || kind === 'j') acked[kind][Number(writer)] = Number(value)
          if (++lines === 400) resolveEnough()
        }
      })
      void closed.then(() => reject(new Error(`the writer exited before it was killed:\n${stderr}`)))
    })
    await enough
    child.kill('SIGKILL')
    const [, signal] = await closed
    expect(signal).toBe('SIGKILL')

    const store = await open(path, durability)
    for (let writer = 0; writer < UPSERTERS; writer++) {
      const loaded = (await store.load(`u/${writer}`))!
      // At most one write was in flight per writer: it may or may not have landed, but whole.
      expect(loaded.revision - acked.u[writer]!).toBeOneOf([0, 1])
      expect(loaded.state).toStrictEqual(stateBytes(writer, loaded.revision))
      expect(await store.upsert(`u/${writer}`, new Uint8Array([1]), loaded.revision)).toBe(loaded.revision + 1)
    }
    for (let writer = 0; writer < APPENDERS; writer++) {
      const highest = await store.highestSeq(`j/${writer}`)
      expect(highest - acked.j[writer]!).toBeOneOf([0, EVENTS_PER_APPEND]) // an append lands whole or not at all
      const events = await store.read(`j/${writer}`, 1)
      expect(events).toStrictEqual(Array.from({ length: highest }, (_, i) => ({ seq: i + 1, event: eventBytes(writer, i + 1) })))
    }
  })

  it('finds everything again after close and reopen, and close waits for the writes under way', async () => {
    const path = await tempDir()
    const first = await openLmdbStore({ path })
    await first.upsert('e/a', new Uint8Array([1]), 0)
    await first.append('e/a', [new Uint8Array([2]), new Uint8Array([3])], 0)
    await first.saveSnapshot('e/a', 2, new Uint8Array([4]))
    await first.putReminder({ id: 'e/a', name: 'r', dueAt: 5, periodMs: 6 })
    const writes = Array.from({ length: 100 }, (_, i) => first.upsert(`e/${i}/late`, new Uint8Array([i]), 0))
    await first.close() // not awaiting the writes first
    expect(await Promise.all(writes)).toEqual(writes.map(() => 1))
    const second = await open(path)
    expect(await second.load('e/a')).toStrictEqual({ state: new Uint8Array([1]), revision: 1 })
    expect(await second.read('e/a', 1)).toStrictEqual([{ seq: 1, event: new Uint8Array([2]) }, { seq: 2, event: new Uint8Array([3]) }])
    expect(await second.loadSnapshot('e/a')).toStrictEqual({ seq: 2, state: new Uint8Array([4]) })
    expect(await second.reminders()).toStrictEqual([{ id: 'e/a', name: 'r', dueAt: 5, periodMs: 6 }])
    expect(await second.load('e/99/late')).toStrictEqual({ state: new Uint8Array([99]), revision: 1 })
  })

  it('commits the writes issued in one turn, from many entities, in one transaction', async () => {
    const store = await open(await tempDir())
    await store.upsert('g/first', new Uint8Array([1]), 0) // the first write of an environment may take one more transaction
    const before = store.commitCount
    await Promise.all(Array.from({ length: 1000 }, (_, i) => store.upsert(`g/${i}`, new Uint8Array([i & 0xff]), 0)))
    await Promise.all(Array.from({ length: 1000 }, (_, i) => store.append(`g/${i}`, [new Uint8Array([1]), new Uint8Array([2])], 0)))
    expect(store.commitCount - before).toBe(2)
    // One at a time, each write is a transaction of its own: the counter counts transactions.
    for (let i = 0; i < 3; i++) await store.upsert(`g/${i}`, new Uint8Array([0]), 1)
    expect(store.commitCount - before).toBe(5)
  })
})

describe('LmdbStore shared by threads', () => {
  /** Starts fixtures/lmdb-worker.mjs; `run` sends it a command and resolves with its answer. */
  async function startWorker(path: string, name: string): Promise<(command: Record<string, unknown>) => Promise<unknown>> {
    const worker = new Worker(fixture('lmdb-worker.mjs'), { workerData: { path, name }, execArgv: ['--conditions=troupe-source'] })
    cleanups.push(() => worker.terminate())
    const answers: ((answer: { ok: boolean; value?: unknown; error?: string }) => void)[] = []
    const ready = new Promise((resolveReady, reject) => {
      worker.once('error', reject)
      answers.push(resolveReady)
    })
    worker.on('message', (answer: { ok: boolean; value?: unknown; error?: string }) => answers.shift()?.(answer))
    await ready
    return async (command) => {
      const answer = await new Promise<{ ok: boolean; value?: unknown; error?: string }>((resolveAnswer) => {
        answers.push(resolveAnswer)
        worker.postMessage(command)
      })
      if (!answer.ok) throw new Error(`worker ${name}: ${answer.error}`)
      return answer.value
    }
  }

  it('lets two worker threads and the main thread use one directory at once, with fencing between them', async () => {
    const path = await tempDir()
    const main = await open(path)
    const [a, b] = await Promise.all([startWorker(path, 'a'), startWorker(path, 'b')])
    const [raceA, raceB] = (await Promise.all([a({ op: 'race', count: 200 }), b({ op: 'race', count: 200 })])) as { won: number[]; lost: number }[]
    // Every id was created by exactly one thread; the other got a StoreConflictError.
    expect([...raceA!.won, ...raceB!.won].sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i))
    expect(raceA!.lost + raceB!.lost).toBe(200)
    for (const [won, tag] of [[raceA!.won, 97], [raceB!.won, 98]] as const) {
      for (const i of won) expect(await main.load(`race/${i}`)).toStrictEqual({ state: new Uint8Array([tag]), revision: 1 })
    }

    await Promise.all([a({ op: 'journal', count: 100 }), b({ op: 'journal', count: 100 })])
    const journal = await main.read('shared/journal', 1)
    expect(journal.map(({ seq }) => seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    for (const tag of [97, 98]) {
      expect(journal.filter(({ event }) => event[0] === tag).map(({ event }) => event[1])).toEqual(Array.from({ length: 100 }, (_, n) => n))
    }

    // One thread closing its store leaves the environment open for the others.
    await Promise.all([a({ op: 'own', prefix: 'before', count: 300 }), b({ op: 'own', prefix: 'before', count: 300 })])
    await a({ op: 'close' })
    expect(await b({ op: 'own', prefix: 'after', count: 300 })).toEqual(Array.from({ length: 300 }, () => 1))
    await b({ op: 'close' })
    for (const [prefix, name, tag] of [['before', 'a', 97], ['before', 'b', 98], ['after', 'b', 98]] as const) {
      for (const i of [0, 150, 299]) expect(await main.load(`${prefix}/${name}/${i}`)).toStrictEqual({ state: new Uint8Array([tag, i & 0xff]), revision: 1 })
    }
  })

  it('refuses to open a directory this process has open with the other durability', async () => {
    const path = await tempDir()
    await open(path, 'sync')
    const error = await openLmdbStore({ path, durability: 'process' }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StoreError)
    expect((error as Error).message).toContain(path)
  })

  it('rejects with StoreError when the path cannot be a directory', async () => {
    const file = join(await tempDir(), 'a-file')
    await writeFile(file, 'x')
    await expect(openLmdbStore({ path: file })).rejects.toThrow(StoreError)
  })
})

describe('store options', () => {
  it('openLmdbStore names the option it refuses', async () => {
    const path = await tempDir()
    await expect(openLmdbStore(null as never)).rejects.toThrow(/option "options" must be an object/)
    await expect(openLmdbStore({ path: '' })).rejects.toThrow(/option "path" must be a directory path/)
    await expect(openLmdbStore({ path: 42 as never })).rejects.toThrow(/option "path"/)
    await expect(openLmdbStore({ path, durability: 'fast' as never })).rejects.toThrow(/option "durability" must be 'sync' or 'process'; received "fast"/)
    await expect(openLmdbStore({ path, durabilty: 'sync' } as never)).rejects.toThrow(/option "durabilty"/)
    await expect(openLmdbStore({ path: '' })).rejects.toThrow(InvalidOptionError)
  })

  it('the persistence option (resolved in core) names the option it refuses, as persistence.<name>', () => {
    expect(resolvePersistence(undefined)).toBeUndefined()
    expect(() => resolvePersistence('lmdb')).toThrow(/option "persistence" must be an object/)
    expect(() => resolvePersistence({ store: 'redis' })).toThrow(/option "persistence.store" must be 'lmdb', 'memory' or 'nats'; received "redis"/)
    expect(() => resolvePersistence({ path: './x' })).toThrow(/option "persistence.store"/)
    expect(() => resolvePersistence({ store: 'lmdb', path: 5 })).toThrow(/option "persistence.path"/)
    expect(() => resolvePersistence({ store: 'lmdb', durability: 'fast' })).toThrow(/option "persistence.durability"/)
    expect(() => resolvePersistence({ store: 'lmdb', pth: './x' })).toThrow(/option "persistence.pth"/)
    expect(() => resolvePersistence({ store: 'memory', path: './x' })).toThrow(/option "persistence.path"/)
    expect(() => resolvePersistence({ store: 'memory', path: './x' })).toThrow(InvalidOptionError)
  })

  it('the persistence option fills in the defaults and resolves the path against the working directory', () => {
    expect(resolvePersistence({ store: 'lmdb' })).toStrictEqual({ store: 'lmdb', path: resolve(process.cwd(), 'troupe-data'), durability: 'sync' })
    expect(resolvePersistence({ store: 'lmdb', path: 'data/here', durability: 'process' })).toStrictEqual({
      store: 'lmdb',
      path: resolve(process.cwd(), 'data/here'),
      durability: 'process',
    })
    expect(resolvePersistence({ store: 'memory' })).toStrictEqual({ store: 'memory' })
  })
})
