import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeFault } from '../src/kv-store/fault-plan.js'
import { TargetWatch } from '../src/kv-store/incidents.js'
import { main } from '../src/kv-store/main.js'
import { runKvStore } from '../src/kv-store/run.js'
import { readLogFile, type JsonValue } from '../src/store/index.js'

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'troupe-kv-store-test-'))
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

// A run takes about 10 s from sources; the margin is for a 2-core machine running other test files too.
const RUN_TIMEOUT_MS = 60_000

describe('kv store', () => {
  it('kills and hangs a KV shard and a writer while clients write: every acknowledged write is on disk and in the store, with its exact value', async () => {
    const result = await runKvStore({ dataDir, log: () => undefined })

    // The four faults happened, in order, and each was over within the run's deadline.
    expect(result.faults.map((fault) => describeFault(fault.fault))).toEqual(['kill kv s0', 'kill writer s1', 'hang kv s1', 'hang writer s0'])
    expect(result.faults.every((fault) => fault.recovered)).toBe(true)
    // troupe saw them: each fault takes one worker down; the two hangs were found by its watchdog.
    // (At least: on a loaded machine the watchdog may also end a worker that was only slow.)
    expect(result.worker.crashes).toBeGreaterThanOrEqual(4)
    expect(result.worker.hangs).toBeGreaterThanOrEqual(2)

    // The data, read here straight from the files: exactly the ledger of acknowledged writes,
    // every key in one shard's file only, and deleted keys absent.
    const onDisk = new Map<string, JsonValue>()
    for (const path of result.paths) {
      const file = await readLogFile(path)
      expect(file.tornBytes).toBe(0)
      for (const [key, value] of file.entries) {
        expect(onDisk.has(key)).toBe(false)
        onDisk.set(key, value)
      }
    }
    expect(Object.fromEntries(onDisk)).toEqual(Object.fromEntries(result.acknowledgedEntries))
    expect(onDisk.size).toBe(result.acknowledged.liveKeys)
    const deleted = result.touchedKeys.filter((key) => !onDisk.has(key))
    expect(deleted.length).toBeGreaterThan(0) // deletes were acknowledged too, and stayed deleted

    // The same through the router after the faults, and through a new system on the same files.
    for (const diff of [result.throughRouter, result.coldRestart.diff]) {
      expect(diff).toMatchObject({ expected: result.acknowledged.liveKeys, missing: 0, wrong: 0, extra: 0 })
    }
    expect(result.coldRestart.recoveredKeys.reduce((sum, n) => sum + n, 0)).toBe(result.acknowledged.liveKeys)

    // Clients never gave up, and every read during the run returned the last acknowledged value.
    expect(result.workload.gaveUp).toEqual([])
    expect(result.workload.staleReads).toEqual([])
    expect(result.workload.reads).toBeGreaterThan(0)
    // The faults were felt: requests lost with a worker or left uncertain were retried.
    expect(result.workload.retries).toBeGreaterThan(0)
    expect(result.acknowledged.writes).toBeGreaterThanOrEqual(5 * 400)

    // Each fault is an incident of its target, reset the way its kind requires, and the
    // partner of the pair came back as a fresh instance too (one-for-all).
    for (const fault of result.faults) {
      const since = (name: string) => result.incidents.find((incident) => incident.target === name && incident.openedAt >= fault.injectedAt)
      expect(since(fault.target)).toMatchObject({ outcome: 'restarted', watchdog: { kind: fault.fault.kind === 'hang' ? 'hung' : 'crashed' } })
      expect(since(fault.partner)).toMatchObject({ outcome: 'restarted' })
    }
    // The monitor found each hang itself, by missed heartbeats, before troupe's watchdog acted.
    for (const fault of result.faults.filter(({ fault }) => fault.kind === 'hang')) {
      const incident = result.incidents.find((i) => i.target === fault.target && i.openedAt >= fault.injectedAt)!
      expect(incident.firstSign).toBe('missed-heartbeat')
      expect(incident.openedAt).toBeLessThan(incident.watchdog!.at)
    }

    // Group commit batched appends, and compaction kept the files smaller than the write count.
    expect(Math.max(...result.writers.map((writer) => writer.largestGroup))).toBeGreaterThan(1)
    expect(result.files.records).toBeLessThan(result.acknowledged.writes)
    expect(result.checks.filter((check) => !check.passed)).toEqual([])
    expect(result.ok).toBe(true)
  }, RUN_TIMEOUT_MS)

  it('main() runs the example and reports success', async () => {
    const lines: string[] = []
    expect(await main((line) => lines.push(line))).toBe(true)
    expect(lines.at(-1)).toMatch(/^PASS: 8\/8 checks/)
  }, RUN_TIMEOUT_MS)
})

describe("the heartbeat monitor's incidents", () => {
  const first = { instance: 'a', thread: 1, detail: '' }
  const watchOf = () => new TargetWatch({ name: 'kv s0', actor: 3 }, first)

  it('a hang: missed beats, then the watchdog, then a fresh instance closes it as restarted', () => {
    const watch = watchOf()
    expect(watch.missed(1_000)).toBe(true) // the first sign
    expect(watch.missed(1_100)).toBe(false)
    watch.watchdog('hung', 1_700)
    watch.watchdog('crashed', 1_701) // the termination of the hung worker: the cause stays "hung"
    watch.restarted()
    expect(watch.answered({ ...first, detail: 'late' }, 1_750)).toBeUndefined() // the old instance's late answer
    expect(watch.answered({ instance: 'b', thread: 1, detail: '' }, 1_900)).toMatchObject({
      firstSign: 'missed-heartbeat',
      openedAt: 1_000,
      closedAt: 1_900,
      missedBeats: 2,
      watchdog: { kind: 'hung', at: 1_700 },
      restarts: 1,
      outcome: 'restarted',
      instanceBefore: 'a',
      instanceAfter: 'b',
    })
    expect(watch.inIncident).toBe(false)
  })

  it('a slow answer from the same instance, with nothing reset, is answered-late', () => {
    const watch = watchOf()
    watch.missed(1_000)
    expect(watch.answered(first, 1_200)).toMatchObject({ outcome: 'answered-late', instanceAfter: 'a' })
  })

  it('a partner restarted between two beats shows only as a fresh instance, opened and closed at once', () => {
    const watch = watchOf()
    watch.restarted() // the event alone opens nothing: the fresh answer may come before or after it
    expect(watch.inIncident).toBe(false)
    expect(watch.answered({ instance: 'c', thread: 2, detail: '' }, 5_000)).toMatchObject({ firstSign: 'fresh-instance', openedAt: 5_000, closedAt: 5_000, instanceBefore: 'a', instanceAfter: 'c' })
    expect(watch.answered({ instance: 'c', thread: 2, detail: '' }, 5_100)).toBeUndefined()
    expect([watch.restarts, watch.thread, watch.incidents.length]).toEqual([1, 2, 1])
  })
})
