// Durable streams on JetStream: the names, subjects and bytes troupe uses (docs/durable-handlers.md).
// An event's body is plain msgpack (no msgpackr records), so programs in other languages can
// publish and read it; headers say what it is. A dead letter is one msgpack map, published on the
// stream's dead-letter subject in the same JetStream stream.
import { Packr, Unpackr } from 'msgpackr'
import type { DeadLetterEvent, DeadLetterError } from '@troupe/core'

/** Header names troupe sets (NATS headers are case-insensitive on the wire, but kept canonical here). */
export const CONTENT_TYPE_HEADER = 'Content-Type'
export const MSGPACK = 'application/msgpack'
/** On a dead letter: the handler that gave up, and the error's code. */
export const HANDLER_HEADER = 'Troupe-Handler'
export const ERROR_CODE_HEADER = 'Troupe-Error-Code'

/** One JetStream stream per troupe stream and cluster: `troupe_<cluster>_<name>`. */
export function jetStreamName(cluster: string, name: string): string {
  return `troupe_${cluster}_${name}`
}

/** Every subject of a troupe stream (its events, its dead letters, theirs…): the JetStream stream's one subject filter. */
export function streamSubjects(cluster: string, name: string): string {
  return `troupe.${cluster}.stream.${name}.>`
}

/**
 * The subject of level `level` of a stream: 0 its events, 1 their dead letters, 2 the dead
 * letters of a handler of the dead letters, and so on.
 */
export function levelSubject(cluster: string, name: string, level: number): string {
  return level === 0 ? `troupe.${cluster}.stream.${name}.events` : `troupe.${cluster}.stream.${name}${'.dead'.repeat(level)}`
}

/** A handler's durable consumer: one per (stream level, handler), shared by every node. */
export function consumerName(level: number, handler: string): string {
  return `h${level}_${handler}`
}

// msgpackr mutates its options: each instance gets its own. No records: plain msgpack maps.
const packr = new Packr({ useRecords: false, moreTypes: false })
const unpackr = new Unpackr({ useRecords: false, moreTypes: false })

export function encodeEvent(event: unknown): Uint8Array {
  return packr.pack(event)
}

/** The event; throws on bytes that are not msgpack. */
export function decodeEvent(bytes: Uint8Array): unknown {
  return unpackr.unpack(bytes)
}

/** A dead letter is an event of the dead-letter level: `decodeEvent` reads it back. */
export function encodeDeadLetter(letter: DeadLetterEvent<unknown>): Uint8Array {
  return packr.pack(letter)
}

/** An error as a dead letter keeps it: data, not a class. */
export function deadLetterError(error: unknown): DeadLetterError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? { name: error.name, message: error.message, code } : { name: error.name, message: error.message }
  }
  return { name: 'Error', message: String(error) }
}
