import { encodeEntry } from './entry-codec.js'
import type { JsonValue } from './json-value.js'
import { put, type Entry, type LogRecord } from './record.js'

/** Records per line of a snapshot: keeps lines short enough to decode and check one by one. */
const SNAPSHOT_RECORDS_PER_ENTRY = 256

/**
 * The state a log describes (last value per key, deleted keys absent) and how many records the
 * file holds to describe it: the gap between the two is what compaction reclaims.
 */
export class LogState {
  readonly #values = new Map<string, JsonValue>()
  #logRecords = 0

  /** Applies the records of one entry, in order, as the log does on replay. */
  apply(records: readonly LogRecord[]): void {
    for (const record of records) {
      if (record.deleted) this.#values.delete(record.key)
      else this.#values.set(record.key, record.value)
    }
    this.#logRecords += records.length
  }

  get liveKeys(): number {
    return this.#values.size
  }

  /** Records in the file, tombstones and overwritten values included. */
  get logRecords(): number {
    return this.#logRecords
  }

  get(key: string): JsonValue | undefined {
    return this.#values.get(key)
  }

  entries(): Entry[] {
    return [...this.#values]
  }

  /** The whole state as log entries: the content of a compacted file. No tombstones needed. */
  snapshot(): Buffer {
    const lines: Buffer[] = []
    let chunk: LogRecord[] = []
    for (const [key, value] of this.#values) {
      chunk.push(put(key, value))
      if (chunk.length === SNAPSHOT_RECORDS_PER_ENTRY) {
        lines.push(encodeEntry(chunk))
        chunk = []
      }
    }
    if (chunk.length > 0) lines.push(encodeEntry(chunk))
    return Buffer.concat(lines)
  }

  /** The file now holds exactly the snapshot. */
  compacted(): void {
    this.#logRecords = this.#values.size
  }

  static replay(entries: readonly (readonly LogRecord[])[]): LogState {
    const state = new LogState()
    for (const records of entries) state.apply(records)
    return state
  }
}
