import { mkdtemp, readFile, rm, stat, writeFile, appendFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ActorSystem, type ActorRef, type SystemEvent } from 'troupe'
import { shouldCompact } from '../src/store/compaction.js'
import { decodeEntryAt, encodeEntry } from '../src/store/entry-codec.js'
import { LogCorruptError } from '../src/store/errors.js'
import { compactionPath, LogFile } from '../src/store/log-file.js'
import { readEntries } from '../src/store/log-reader.js'
import { LogState } from '../src/store/log-state.js'
import { checkRecords, put, remove, type LogRecord } from '../src/store/record.js'
import { LogWriter, readLogFile, STORE_ACTOR_MODULES } from '../src/store/index.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'troupe-store-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const ENTRIES: LogRecord[][] = [[put('a', 1), put('b', { nested: ['x', null, true] })], [remove('a')], [put('c', 'ünïcødé ✓'), put('b', 2)]]
const logBytes = (entries: LogRecord[][]): Buffer => Buffer.concat(entries.map((records) => encodeEntry(records)))

describe('log entries (plain functions)', () => {
  it('round-trip one line per append: <length> <crc32> <json>', () => {
    const line = encodeEntry([put('stock', 999), remove('old')])
    expect(line.toString('utf8')).toMatch(/^\d+ [0-9a-f]{8} \[\{"key":"stock","value":999\},\{"key":"old","deleted":true\}\]\n$/)
    expect(decodeEntryAt(line, 0)).toEqual({ ok: true, records: [put('stock', 999), remove('old')], end: line.length })
  })

  it('refuse a line whose checksum, length or newline does not match', () => {
    const line = encodeEntry([put('k', 'value')])
    const flipped = Buffer.from(line)
    flipped[flipped.length - 3] = 'X'.charCodeAt(0) // inside the JSON, same length
    expect(decodeEntryAt(flipped, 0)).toMatchObject({ ok: false, reason: 'checksum mismatch' })
    expect(decodeEntryAt(line.subarray(0, line.length - 1), 0).ok).toBe(false)
    expect(decodeEntryAt(Buffer.from('12 0000000 []\n'), 0).ok).toBe(false)
  })

  it('a log cut at any byte reads back as exactly the entries written whole before the cut', () => {
    const bytes = logBytes(ENTRIES)
    const ends = ENTRIES.map((_, i) => logBytes(ENTRIES.slice(0, i + 1)).length)
    for (let cut = 0; cut <= bytes.length; cut++) {
      const whole = ends.filter((end) => end <= cut).length
      const read = readEntries(bytes.subarray(0, cut))
      expect(read.entries).toEqual(ENTRIES.slice(0, whole))
      expect(read.validBytes).toBe(whole === 0 ? 0 : ends[whole - 1])
      expect(read.tornBytes).toBe(cut - read.validBytes)
    }
  })

  it('a damaged entry followed by intact ones is corruption, not a torn write', () => {
    const bytes = logBytes(ENTRIES)
    const damaged = Buffer.from(bytes)
    damaged[3] = 'z'.charCodeAt(0) // inside the first line's checksum field
    expect(() => readEntries(damaged)).toThrow(LogCorruptError)
    // The same damage in the last line is a torn tail.
    const last = encodeEntry([put('z', 0)])
    last[last.length - 4] = 0
    expect(readEntries(Buffer.concat([bytes, last]))).toMatchObject({ entries: ENTRIES, tornBytes: last.length })
  })

  it('records are checked: keys, tombstones and JSON-only values', () => {
    expect(checkRecords([{ key: 'a', value: 1, extra: 'dropped' }, { key: 'b', deleted: true }])).toEqual([put('a', 1), remove('b')])
    for (const bad of [{ key: '', value: 1 }, { key: 'a' }, { key: 'a', value: Number.NaN }, { key: 'a', value: new Map() }, { key: 'a', value: 1, deleted: true }, { key: 'a', deleted: false }]) {
      expect(() => checkRecords([bad])).toThrow(/records\[0\]/)
    }
    expect(() => checkRecords('nope')).toThrow(/array/)
  })
})

describe('state and compaction (plain functions)', () => {
  it('keeps the last value per key; deletes remove; every record counts toward the file size', () => {
    const state = LogState.replay(ENTRIES)
    expect(state.entries()).toEqual([
      ['b', 2],
      ['c', 'ünïcødé ✓'],
    ])
    expect(state.logRecords).toBe(5)
    expect(state.liveKeys).toBe(2)
  })

  it('a snapshot holds only the live keys and replays to the same state', () => {
    const state = new LogState()
    for (let round = 0; round < 10; round++) state.apply(Array.from({ length: 300 }, (_, i) => put(`k${i}`, round)))
    state.apply([remove('k0'), remove('k1')])
    const read = readEntries(state.snapshot())
    expect(read.entries.length).toBe(2) // 298 records in lines of at most 256
    const replayed = LogState.replay(read.entries)
    expect(replayed.entries()).toEqual(state.entries())
    expect(replayed.logRecords).toBe(298)
    state.compacted()
    expect(state.logRecords).toBe(298)
  })

  it('compacts past minRecords once the file holds more than factor × live keys', () => {
    const policy = { minRecords: 100, factor: 2 }
    expect(shouldCompact(99, 1, policy)).toBe(false) // too small to bother
    expect(shouldCompact(100, 50, policy)).toBe(false) // exactly twice: not more
    expect(shouldCompact(101, 50, policy)).toBe(true)
    expect(shouldCompact(100, 0, policy)).toBe(true) // everything deleted
  })
})

describe('the log file (real files, no threads)', () => {
  it('cuts off a torn final entry at open, so the next append does not land after garbage', async () => {
    const path = join(dir, 'torn.log')
    const half = encodeEntry([put('lost', true)])
    await writeFile(path, Buffer.concat([logBytes(ENTRIES), half.subarray(0, half.length - 5)]))
    const { file, read } = await LogFile.open(path)
    expect(read).toMatchObject({ entries: ENTRIES, tornBytes: half.length - 5 })
    await file.append(encodeEntry([put('after', 1)]))
    await file.close()
    const content = await readLogFile(path)
    expect(content.tornBytes).toBe(0)
    expect(content.entries).toEqual([
      ['b', 2],
      ['c', 'ünïcødé ✓'],
      ['after', 1],
    ])
  })

  it('replaces the log atomically and drops what an interrupted compaction left behind', async () => {
    const path = join(dir, 'compact.log')
    await writeFile(path, logBytes(ENTRIES))
    await writeFile(compactionPath(path), 'half a snapshot') // a compaction that crashed before its rename
    const { file } = await LogFile.open(path)
    await expect(stat(compactionPath(path))).rejects.toMatchObject({ code: 'ENOENT' })
    const snapshot = LogState.replay(ENTRIES).snapshot()
    await file.replace(snapshot)
    await file.append(encodeEntry([put('d', 4)])) // goes to the new file, not the replaced one
    await file.close()
    expect(await readFile(path)).toEqual(Buffer.concat([snapshot, encodeEntry([put('d', 4)])]))
    await expect(stat(compactionPath(path))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('the LogWriter actor (real threads)', () => {
  const systems: ActorSystem[] = []
  afterEach(async () => {
    while (systems.length > 0) await systems.pop()!.shutdown()
  })

  async function startWriter(path: string, compaction?: { minRecords: number; factor: number }) {
    const system = await ActorSystem.start({ workers: 2, actors: STORE_ACTOR_MODULES })
    systems.push(system)
    const events: SystemEvent[] = []
    system.events.subscribe((event) => events.push(event))
    const writer: ActorRef<LogWriter> = await system.spawn(LogWriter, { placement: { worker: 1 }, args: [compaction ? { path, compaction } : { path }] })
    return { system, writer, events }
  }

  it('appends become durable in batches: appends arriving during an fsync share the next one', async () => {
    const path = join(dir, 'batched.log')
    const { writer, events } = await startWriter(path)
    const { fence } = await writer.ask.load()
    const appends = Array.from({ length: 400 }, (_, i) => writer.ask.append(fence, [put(`key-${i}`, i)]))
    const answers = await Promise.all(appends)
    // Every answer came after its fsync: the file already holds all of them.
    expect((await readLogFile(path)).entries).toHaveLength(400)
    const stats = await writer.ask.stats()
    expect(stats).toMatchObject({ appends: 400, records: 400, liveKeys: 400, logRecords: 400, refused: 0 })
    // Group commit happened: fewer fsyncs than appends, and some fsync carried several appends.
    expect(stats.flushes).toBeLessThan(400)
    expect(stats.largestGroup).toBeGreaterThan(1)
    expect(Math.max(...answers.map((answer) => answer.group))).toBe(stats.largestGroup)
    expect(new Set(answers.map((answer) => answer.flush)).size).toBe(stats.flushes)
    expect(answers.every((answer) => answer.fence === fence)).toBe(true) // each answer names the append's owner
    expect(events.filter((event) => event.type === 'actor-failed')).toEqual([])
  })

  it('load() recovers the last value per key, deletes included, in a fresh system; a torn tail is ignored', async () => {
    const path = join(dir, 'recover.log')
    const first = await startWriter(path)
    const { fence } = await first.writer.ask.load()
    await first.writer.ask.append(fence, [put('a', 1), put('b', 1)])
    await Promise.all([first.writer.ask.append(fence, [put('a', 2)]), first.writer.ask.append(fence, [remove('b'), put('c', [3])])])
    await systems.pop()!.shutdown()

    const torn = '57 1234abcd [{"key":"half' // a crash in the middle of a write
    await appendFile(path, torn)
    const second = await startWriter(path)
    const loaded = await second.writer.ask.load()
    expect(loaded.entries).toEqual([
      ['a', 2],
      ['c', [3]],
    ])
    expect((await second.writer.ask.stats()).recovered).toEqual({ entries: 3, tornBytes: Buffer.byteLength(torn) })
    await second.writer.ask.append(loaded.fence, [put('d', 4)])
    const content = await readLogFile(path)
    expect(content.tornBytes).toBe(0)
    expect(content.entries).toEqual([...loaded.entries, ['d', 4]])
  })

  it('compacts past the threshold while appends keep coming, without losing any of them', async () => {
    const path = join(dir, 'compacting.log')
    const { writer } = await startWriter(path, { minRecords: 50, factor: 2 })
    const { fence } = await writer.ask.load()
    // 10 keys overwritten 100 times, in waves so that compactions and flushes interleave.
    for (let wave = 0; wave < 10; wave++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => writer.ask.append(fence, [put(`k${i % 10}`, wave * 100 + i)])))
    }
    const stats = await writer.ask.sync()
    expect(stats.compactions).toBeGreaterThan(0)
    expect(stats.appends).toBe(1_000)
    expect(stats.logRecords).toBeLessThan(100) // the file did not grow with the overwrites
    const expected = Array.from({ length: 10 }, (_, k) => [`k${k}`, 900 + 90 + k])
    const content = await readLogFile(path)
    expect(content.records).toBe(stats.logRecords)
    expect(content.bytes).toBe(stats.bytes)
    expect(Object.fromEntries(content.entries)).toEqual(Object.fromEntries(expected))
    expect(Object.fromEntries((await writer.ask.load()).entries)).toEqual(Object.fromEntries(expected))
  })

  it('refuses appends with a stale fence or malformed records, and keeps working', async () => {
    const path = join(dir, 'fenced.log')
    const { writer, events } = await startWriter(path)
    const old = await writer.ask.load()
    await writer.ask.append(old.fence, [put('owner', 'first')])
    const current = await writer.ask.load() // a second owner (or the first one, restarted)
    await expect(writer.ask.append(old.fence, [put('owner', 'late')])).rejects.toMatchObject({ code: 'ERR_STALE_FENCE' })
    const untyped = writer.ask.append as (fence: string, records: unknown) => Promise<unknown>
    await expect(untyped(current.fence, [{ key: 'x', value: undefined }])).rejects.toMatchObject({ code: 'ERR_INVALID_RECORD' })
    await writer.ask.append(current.fence, [put('owner', 'second')])
    expect((await writer.ask.load()).entries).toEqual([['owner', 'second']])
    expect(await writer.ask.stats()).toMatchObject({ appends: 2, refused: 2 })
    expect(events.filter((event) => event.type === 'actor-failed')).toEqual([])
  })

  it('stopping writes what was accepted and answers it before closing the file', async () => {
    const path = join(dir, 'stop.log')
    const { system, writer } = await startWriter(path)
    const { fence } = await writer.ask.load()
    const appends = Array.from({ length: 50 }, (_, i) => writer.ask.append(fence, [put(`s${i}`, i)]))
    await system.stop(writer)
    await Promise.all(appends)
    expect((await readLogFile(path)).entries).toHaveLength(50)
  })
})
