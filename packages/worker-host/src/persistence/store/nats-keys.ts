/**
 * How the NATS store turns entity ids and reminder names into KV keys, and numbers into values.
 *
 * A NATS KV key is a subject: only `[-/_=.a-zA-Z0-9]`, `.` separating tokens, no empty token. An
 * entity id is any well-formed string of up to 1 024 UTF-8 bytes (`<type>/<key>`, where the key
 * may hold spaces, dots, emoji…). So an id is stored as the base64url of its UTF-8 bytes (no
 * padding: the alphabet is `[A-Za-z0-9_-]`, all allowed, and never `*` or `>`), cut into tokens of
 * at most 256 characters joined by `.`. Decoding drops the dots and reverses the base64url, so the
 * mapping is one to one, and `reminders()` gives every id back as it was written.
 *
 * NATS has no limit of its own on a subject's length, but a subject travels in the protocol's
 * control line, which the server limits to 4 096 bytes (`max_control_line`). The longest key here
 * is a reminder's: id (1 024 bytes) + NUL + name (512 bytes) = 1 537 bytes → 2 050 base64url
 * characters and 8 dots, plus the bucket's subject prefix: about 2 100 bytes, which leaves room
 * for the reply subject and sizes. The token length only keeps each token short (some tooling
 * shows subjects token by token); nothing relies on it.
 */

const TOKEN_CHARS = 256

/** The key tokens of `text`: base64url of its UTF-8 bytes, in tokens of at most 256 characters. */
export function encodeKeyText(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64url')
  if (encoded.length <= TOKEN_CHARS) return encoded
  const tokens: string[] = []
  for (let i = 0; i < encoded.length; i += TOKEN_CHARS) tokens.push(encoded.slice(i, i + TOKEN_CHARS))
  return tokens.join('.')
}

/** The text `encodeKeyText` made `key` from. */
export function decodeKeyText(key: string): string {
  return Buffer.from(key.replaceAll('.', ''), 'base64url').toString('utf8')
}

/**
 * A reminder's key: id and name joined by a NUL (which neither may contain), encoded as one. Each
 * (id, name) has one key, and `reminders()` splits it back at the NUL.
 */
export function reminderKey(id: string, name: string): string {
  return encodeKeyText(`${id}\0${name}`)
}

export function parseReminderKey(key: string): { id: string; name: string } | undefined {
  const text = decodeKeyText(key)
  const nul = text.indexOf('\0')
  if (nul <= 0 || nul === text.length - 1) return undefined
  return { id: text.slice(0, nul), name: text.slice(nul + 1) }
}

/** Bytes of a number header: a float64 holds every safe integer (revisions, sequence numbers) exactly. */
export const NUMBER_BYTES = 8

/** `bytes` after an 8-byte header holding `n` (a state's revision, a snapshot's seq). */
export function withNumber(n: number, bytes: Uint8Array): Uint8Array {
  const value = new Uint8Array(NUMBER_BYTES + bytes.length)
  new DataView(value.buffer).setFloat64(0, n)
  value.set(bytes, NUMBER_BYTES)
  return value
}

/** The header number and a copy of the bytes after it; undefined if `value` is too short to be one. */
export function splitNumber(value: Uint8Array): { n: number; bytes: Uint8Array } | undefined {
  if (value.length < NUMBER_BYTES) return undefined
  const n = new DataView(value.buffer, value.byteOffset, value.byteLength).getFloat64(0)
  if (!Number.isSafeInteger(n) || n < 0) return undefined
  // A copy in a plain Uint8Array: the client hands out Buffers that may share their memory.
  return { n, bytes: new Uint8Array(value.subarray(NUMBER_BYTES)) }
}
