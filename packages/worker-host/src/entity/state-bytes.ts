import { StateEncodeError } from '@troupe/core'
import { checkMessage, encodeValue } from '@troupe/core/internal'

/**
 * Encodes what an entity stores (its state, or an event), under the rules of messages: what would
 * not survive a thread hop does not survive a restart either. Fails with `StateEncodeError`.
 */
export function encodeForStore(storeId: string, value: unknown, maxBytes: number): Uint8Array {
  try {
    checkMessage(value, maxBytes)
    return encodeValue(value)
  } catch (error) {
    throw new StateEncodeError(storeId, error instanceof Error ? error.message : String(error), { cause: error })
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
