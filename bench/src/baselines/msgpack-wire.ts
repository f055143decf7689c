// msgpack encoding for postMessage, shared by every msgpack baseline.
import { pack, unpack } from 'msgpackr'

/**
 * msgpackr's pack returns a view into its reusable 8 KiB+ scratch buffer; posting that view would
 * structured-clone the whole scratch buffer per message. Copying exactly the encoded bytes into their
 * own ArrayBuffer and transferring it is what a careful hand-written baseline does.
 */
export function encodeForPost(value: unknown): ArrayBuffer {
  return new Uint8Array(pack(value)).buffer
}

export function decodePosted(buffer: ArrayBuffer): unknown {
  const decoded: unknown = unpack(new Uint8Array(buffer))
  return decoded
}
