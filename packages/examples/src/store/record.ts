import { InvalidRecordError } from './errors.js'
import { isJsonValue, type JsonValue } from './json-value.js'

/** Sets `key` to `value`. */
export type PutRecord = { readonly key: string; readonly value: JsonValue; readonly deleted?: undefined }
/** Removes `key`: a tombstone, kept in the log until compaction drops it. */
export type DeleteRecord = { readonly key: string; readonly deleted: true; readonly value?: undefined }
/** One change to the keyed state a log holds. */
export type LogRecord = PutRecord | DeleteRecord

/** A key and its current value, as `load()` returns them. */
export type Entry = readonly [key: string, value: JsonValue]

export const put = (key: string, value: JsonValue): PutRecord => ({ key, value })
export const remove = (key: string): DeleteRecord => ({ key, deleted: true })

/**
 * Checks records that arrived as a message (the sender may be untyped) and returns them in the
 * exact shape the log stores, without extra fields: `{ key, value }` or `{ key, deleted: true }`.
 */
export function checkRecords(records: unknown): LogRecord[] {
  if (!Array.isArray(records)) throw new InvalidRecordError('records must be an array')
  return records.map((record: unknown, i) => checkRecord(record, `records[${i}]`))
}

export function checkRecord(record: unknown, where = 'record'): LogRecord {
  if (typeof record !== 'object' || record === null) throw new InvalidRecordError(`${where} is not an object`)
  const { key, value, deleted } = record as { key?: unknown; value?: unknown; deleted?: unknown }
  if (typeof key !== 'string' || key.length === 0) throw new InvalidRecordError(`${where}.key must be a non-empty string`)
  if (deleted === true) {
    if (value !== undefined) throw new InvalidRecordError(`${where} is a delete and must not carry a value`)
    return { key, deleted: true }
  }
  if (deleted !== undefined) throw new InvalidRecordError(`${where}.deleted must be true or absent`)
  if (!isJsonValue(value)) throw new InvalidRecordError(`${where}.value must be JSON data (no undefined, NaN, Map, Date or class instance)`)
  return { key, value }
}
