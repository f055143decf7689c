import { Packr, Unpackr, addExtension } from 'msgpackr'
import { ActorRefImpl, DETACHED_RUNTIME, type RefRuntime } from '../ref/actor-ref.js'

/** msgpack extension type for ActorRef, so refs survive inside messages. */
const ACTOR_REF_EXTENSION = 0x41

addExtension({
  Class: ActorRefImpl,
  type: ACTOR_REF_EXTENSION,
  // The credit window travels with the ref, so whoever receives it sends under flow control.
  write(ref: ActorRefImpl): [number, number, string | undefined] | [number, number, string | undefined, number] {
    return ref.window === 0 ? [ref.id, ref.home, ref.name] : [ref.id, ref.home, ref.name, ref.window]
  },
  read([id, home, name, window]: [number, number, string | undefined, number?]): ActorRefImpl {
    return new ActorRefImpl(id, home, name ?? undefined, decodingRuntime, undefined, window ?? 0)
  },
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
