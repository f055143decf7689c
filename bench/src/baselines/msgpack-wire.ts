// msgpack encoding for postMessage, shared by every msgpack baseline.
import { pack, unpack } from 'msgpackr'

/**
 * msgpackr's pack returns a view into its reusable 8 KiB+ scratch buffer; posting that view would
 * structured-clone the whole scratch buffer per message. Copying exactly the encoded bytes into their
 * own ArrayBuffer and transferring it is what a careful hand-written baseline does.
 */
export function encodeForPost(value: unknown): ArrayBuffer {
  return encodeOwned(value).buffer
}

/**
 * The encoded bytes in a buffer of their own. Also what a transport that keeps the payload by
 * reference needs: nats.js queues a published Uint8Array and writes it a microtask later, by which
 * time the next pack would have overwritten the scratch buffer.
 */
export function encodeOwned(value: unknown): Uint8Array<ArrayBuffer> {
  return new Uint8Array(pack(value))
}

export function decodePosted(buffer: ArrayBuffer): unknown {
  const decoded: unknown = unpack(new Uint8Array(buffer))
  return decoded
}
