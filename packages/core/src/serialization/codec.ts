import { Packr, Unpackr, addExtension } from 'msgpackr'
import { fromWireError, toWireError, type WireError } from '../errors/error-wire.js'
import { ActorRefImpl, DETACHED_RUNTIME, type RefRuntime } from '../ref/actor-ref.js'
import { EntityRefImpl } from '../ref/entity-ref.js'

/** msgpack extension type for ActorRef, so refs survive inside messages. */
const ACTOR_REF_EXTENSION = 0x41

addExtension({
  Class: ActorRefImpl,
  type: ACTOR_REF_EXTENSION,
  // The whole address travels (node, thread, id), and the credit window, so whoever receives the
  // ref sends to the right place, under flow control when the actor has it.
  write(ref: ActorRefImpl): [number, number, string | undefined, number, number] {
    return [ref.id, ref.home, ref.name, ref.window, ref.node]
  },
  read([id, home, name, window, node]: [number, number, string | null | undefined, number, number]): ActorRefImpl {
    return new ActorRefImpl(id, home, name ?? undefined, decodingRuntime, undefined, window, node)
  },
})

/** msgpack extension type for a ref to an entity: its type's name and key, which is all it is. */
const ENTITY_REF_EXTENSION = 0x46

addExtension({
  Class: EntityRefImpl,
  type: ENTITY_REF_EXTENSION,
  write: (ref: EntityRefImpl): [string, string] => [ref.entityName, ref.key],
  read: ([name, key]: [string, string]): EntityRefImpl => new EntityRefImpl(name, key, decodingRuntime, undefined),
})

/**
 * Values that msgpack alone would alter between threads travel as extensions instead, so they
 * arrive as they were sent (the table in docs/messages.md):
 * - a `Buffer` would arrive as a plain `Uint8Array` view of the batch;
 * - an object without a prototype (`Object.create(null)`) would arrive with `Object.prototype`;
 * - an `Error` would lose its class, `code`, stack and fields (msgpackr keeps name and message).
 * Each costs nothing for other values: msgpackr consults extensions only for objects whose
 * constructor is not `Object`, `Array` or `Map`.
 */
const BUFFER_EXTENSION = 0x43
const NULL_PROTOTYPE_EXTENSION = 0x44
const ERROR_EXTENSION = 0x45

addExtension({
  Class: Buffer,
  type: BUFFER_EXTENSION,
  write: (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
  read: (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
})

/** Matches (through `instanceof`, which is how msgpackr picks an extension) objects without a prototype. */
const NullPrototype = {
  [Symbol.hasInstance]: (value: unknown): boolean => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null,
} as unknown as new () => object

addExtension({
  Class: NullPrototype,
  type: NULL_PROTOTYPE_EXTENSION,
  write: (value: object): object => ({ ...value }),
  read: (entries: object): object => Object.assign(Object.create(null) as object, entries),
})

addExtension({
  Class: Error,
  type: ERROR_EXTENSION,
  write: (error: Error): WireError => toWireError(error),
  read: (wire: WireError): Error => fromWireError(wire),
})

/** The runtime that refs decoded right now attach to. Decoding is synchronous, so a variable suffices. */
let decodingRuntime: RefRuntime = DETACHED_RUNTIME

/** Decodes `bytes` with `decoder`; any ref inside attaches to `runtime`. */
export function decodeWith<T>(decoder: Unpackr, bytes: Uint8Array, runtime: RefRuntime): T {
  const previous = decodingRuntime
  decodingRuntime = runtime
  try {
    return decoder.unpack(bytes) as T
  } finally {
    decodingRuntime = previous
  }
}

// msgpackr mutates the options object it is given, so every instance gets a fresh one.
const codecOptions = () => ({ moreTypes: true, useRecords: true })

/** One per outgoing channel: record structures are defined per batch, so no cross-batch state. */
export function createEncoder(): Packr {
  return new Packr(codecOptions())
}

/** One per incoming channel. */
export function createDecoder(): Unpackr {
  return new Unpackr(codecOptions())
}

/** Encodes a standalone value (spawn arguments, size checks) into its own buffer. */
export function encodeValue(value: unknown): Uint8Array {
  return new Uint8Array(scratchEncoder.pack(value))
}

export function decodeValue(bytes: Uint8Array, runtime: RefRuntime): unknown {
  return decodeWith(scratchDecoder, bytes, runtime)
}

const scratchEncoder = createEncoder()
const scratchDecoder = createDecoder()
