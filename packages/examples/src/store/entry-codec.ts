import { crc32 } from './crc32.js'
import { checkRecords, type LogRecord } from './record.js'

// One log entry is one line holding the records of one append, so an append is all or nothing:
//
//   <length> <crc32> <payload>\n
//
// `length` is the payload's size in bytes (decimal), `crc32` its CRC-32 as 8 hex digits, and
// `payload` a JSON array of records: [{"key":"stock","value":999},{"key":"a","deleted":true}].
// A line cut short by a crash fails the length or checksum test and is recognised as torn.

const NEWLINE = 0x0a
const SPACE = 0x20
/** Longest `<length> ` prefix: ten digits cover any file this format could reasonably hold. */
const MAX_LENGTH_DIGITS = 10
const CRC_DIGITS = 8

export function encodeEntry(records: readonly LogRecord[]): Buffer {
  const payload = Buffer.from(JSON.stringify(records), 'utf8')
  const header = Buffer.from(`${payload.length} ${crc32(payload).toString(16).padStart(CRC_DIGITS, '0')} `, 'ascii')
  return Buffer.concat([header, payload, Buffer.from([NEWLINE])])
}

export type DecodedEntry = { readonly ok: true; readonly records: LogRecord[]; readonly end: number } | { readonly ok: false; readonly reason: string }

/** Decodes the entry that starts at `offset`. `end` is the offset just past its newline. */
export function decodeEntryAt(bytes: Uint8Array, offset: number): DecodedEntry {
  let cursor = offset
  let length = 0
  while (cursor < bytes.length && bytes[cursor] !== SPACE) {
    const digit = bytes[cursor]! - 0x30
    if (digit < 0 || digit > 9 || cursor - offset >= MAX_LENGTH_DIGITS) return fail('bad length field')
    length = length * 10 + digit
    cursor++
  }
  if (cursor === offset || cursor >= bytes.length) return fail('incomplete header')
  const crcStart = cursor + 1
  const crcEnd = crcStart + CRC_DIGITS
  if (crcEnd >= bytes.length || bytes[crcEnd] !== SPACE) return fail('incomplete header')
  const crcText = Buffer.from(bytes.buffer, bytes.byteOffset + crcStart, CRC_DIGITS).toString('ascii')
  if (!/^[0-9a-f]{8}$/.test(crcText)) return fail('bad checksum field')
  const expectedCrc = Number.parseInt(crcText, 16)
  const payloadStart = crcEnd + 1
  const payloadEnd = payloadStart + length
  if (payloadEnd >= bytes.length) return fail('payload cut short')
  if (bytes[payloadEnd] !== NEWLINE) return fail('no newline after the payload')
  if (crc32(bytes, payloadStart, payloadEnd) !== expectedCrc) return fail('checksum mismatch')
  let records: LogRecord[]
  try {
    records = checkRecords(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + payloadStart, length).toString('utf8')))
  } catch (error) {
    return fail(`payload is not a list of records (${error instanceof Error ? error.message : String(error)})`)
  }
  return { ok: true, records, end: payloadEnd + 1 }
}

function fail(reason: string): DecodedEntry {
  return { ok: false, reason }
}
