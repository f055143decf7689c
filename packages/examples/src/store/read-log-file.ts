import { readFile } from 'node:fs/promises'
import { readEntries } from './log-reader.js'
import { LogState } from './log-state.js'
import type { Entry } from './record.js'

export type LogFileContent = {
  /** Live keys with their last values. */
  readonly entries: Entry[]
  /** Intact entries (lines) and the records they hold. */
  readonly lines: number
  readonly records: number
  readonly bytes: number
  /** A torn final entry that a writer would cut off when it opens the file. */
  readonly tornBytes: number
}

/**
 * Reads a log without a writer and without changing it: for audits and tests, which must see
 * what is on disk rather than what a writer holds in memory.
 */
export async function readLogFile(path: string): Promise<LogFileContent> {
  const bytes = await readFile(path)
  const read = readEntries(bytes)
  const state = LogState.replay(read.entries)
  return {
    entries: state.entries(),
    lines: read.entries.length,
    records: state.logRecords,
    bytes: bytes.length,
    tornBytes: read.tornBytes,
  }
}
