import type { ActorRef } from 'troupe'
import { readLogFile, type JsonValue } from '../store/index.js'
import type { KvShard } from './kv-shard.js'
import { sameValue } from './ledger.js'

/** How a set of keys and values differs from the expected ones. All zero: exactly the same. */
export type Diff = {
  /** Keys with an expected value. */
  readonly expected: number
  /** Acknowledged keys that are absent. */
  readonly missing: number
  /** Present with another value than the last acknowledged one. */
  readonly wrong: number
  /** Present though deleted (or never written). */
  readonly extra: number
  /** A few of the differences, for the log. */
  readonly examples: readonly string[]
}

export const isExact = (diff: Diff): boolean => diff.missing === 0 && diff.wrong === 0 && diff.extra === 0

/** `expected` is usually the ledger: what the store acknowledged. */
export function diff(expected: ReadonlyMap<string, JsonValue>, actual: ReadonlyMap<string, JsonValue>): Diff {
  const examples: string[] = []
  const note = (line: string): void => void (examples.length < 3 && examples.push(line))
  let missing = 0
  let wrong = 0
  let extra = 0
  for (const [key, value] of expected) {
    const got = actual.get(key)
    if (got === undefined) {
      missing++
      note(`${key} missing (expected ${JSON.stringify(value)})`)
    } else if (!sameValue(got, value)) {
      wrong++
      note(`${key} is ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`)
    }
  }
  for (const [key, got] of actual) {
    if (!expected.has(key)) {
      extra++
      note(`${key} is ${JSON.stringify(got)}, expected absent`)
    }
  }
  return { expected: expected.size, missing, wrong, extra, examples }
}

/** Reads every key the clients ever wrote through the router, as a client would. */
export async function readThroughRouter(router: ActorRef<KvShard>, keys: readonly string[]): Promise<Map<string, JsonValue>> {
  const values = await Promise.all(keys.map((key) => router.ask.get(key)))
  const present = new Map<string, JsonValue>()
  keys.forEach((key, i) => {
    const value = values[i]
    if (value !== undefined) present.set(key, value)
  })
  return present
}

/** One shard's log file, read from disk without a writer. */
export type FileAudit = {
  readonly shard: string
  readonly entries: ReadonlyMap<string, JsonValue>
  readonly lines: number
  /** Records in the file: overwritten values and tombstones that compaction has not dropped yet included. */
  readonly records: number
  readonly bytes: number
  readonly tornBytes: number
}

export async function auditFile(shard: string, path: string): Promise<FileAudit> {
  const content = await readLogFile(path)
  return { shard, entries: new Map(content.entries), lines: content.lines, records: content.records, bytes: content.bytes, tornBytes: content.tornBytes }
}

/** Every shard's file together, and how many keys more than one file holds (a key belongs to one shard). */
export function mergeFiles(files: readonly FileAudit[]): { readonly entries: Map<string, JsonValue>; readonly duplicates: number } {
  const entries = new Map<string, JsonValue>()
  let duplicates = 0
  for (const file of files) {
    for (const [key, value] of file.entries) {
      if (entries.has(key)) duplicates++
      entries.set(key, value)
    }
  }
  return { entries, duplicates }
}
