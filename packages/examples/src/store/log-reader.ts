import { decodeEntryAt } from './entry-codec.js'
import { LogCorruptError } from './errors.js'
import type { LogRecord } from './record.js'

export interface ReadLog {
  /** The records of every intact entry, entry by entry, in file order. */
  readonly entries: LogRecord[][]
  /** Bytes up to the end of the last intact entry: where the next append must go. */
  readonly validBytes: number
  /** Bytes after that: a torn final entry (a crash mid-write), to be cut off. 0 when clean. */
  readonly tornBytes: number
}

/**
 * Decodes a whole log. A damaged entry is accepted as a torn tail only when no intact entry
 * follows it: appends only ever extend the file, and an entry is acknowledged only once it and
 * everything before it were synced, so a crash can damage nothing but the end. A damaged entry
 * with intact ones after it throws `LogCorruptError`.
 */
export function readEntries(bytes: Uint8Array): ReadLog {
  const entries: LogRecord[][] = []
  let offset = 0
  while (offset < bytes.length) {
    const entry = decodeEntryAt(bytes, offset)
    if (!entry.ok) {
      const intactAfter = findIntactEntryAfter(bytes, offset)
      if (intactAfter !== undefined) throw new LogCorruptError(offset, `${entry.reason}, yet an intact entry follows at byte ${intactAfter}`)
      return { entries, validBytes: offset, tornBytes: bytes.length - offset }
    }
    entries.push(entry.records)
    offset = entry.end
  }
  return { entries, validBytes: offset, tornBytes: 0 }
}

/** The offset of the first intact entry starting on a later line, if any. */
function findIntactEntryAfter(bytes: Uint8Array, damagedAt: number): number | undefined {
  for (let newline = bytes.indexOf(0x0a, damagedAt); newline !== -1 && newline + 1 < bytes.length; newline = bytes.indexOf(0x0a, newline + 1)) {
    if (decodeEntryAt(bytes, newline + 1).ok) return newline + 1
  }
  return undefined
}
