import type { CompactionPolicy } from './compaction.js'
import type { Entry } from './record.js'

export type LogWriterOptions = {
  /** The log file. Its directory must exist; the file is created on first start. */
  readonly path: string
  /** When to rewrite the log as a snapshot. Default: `DEFAULT_COMPACTION`. */
  readonly compaction?: CompactionPolicy
}

/** What `load()` answers: the state, and the fence its caller must pass to `append`. */
export type Loaded = {
  readonly fence: string
  /** Every live key with its last value, in first-written order. */
  readonly entries: Entry[]
}

/** What `append()` answers once the records are durable. */
export type Appended = {
  /** The fence the append was accepted under: lets the owner match the answer to its own append. */
  readonly fence: string
  /** Which write+fsync round made them durable (1, 2, ...; counted since the writer started). */
  readonly flush: number
  /** How many appends that round made durable together, this one included. */
  readonly group: number
}

export type WriterStats = {
  readonly path: string
  readonly bytes: number
  /** Records in the file, overwritten values and tombstones included. */
  readonly logRecords: number
  readonly liveKeys: number
  /** Appends made durable, and the records they held. */
  readonly appends: number
  readonly records: number
  /** Write+fsync rounds: appends per flush is the batching factor. */
  readonly flushes: number
  /** Most appends a single fsync made durable. */
  readonly largestGroup: number
  readonly compactions: number
  /** Appends refused: a stale fence or malformed records. */
  readonly refused: number
  /** What the last start found in the file: intact entries, and torn bytes it cut off. */
  readonly recovered: { readonly entries: number; readonly tornBytes: number }
}
