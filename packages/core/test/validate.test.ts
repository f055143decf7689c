import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MessageEncodeError, MessageTooLargeError } from '../src/index.js'
import { checkMessage, decodeValue, DETACHED_RUNTIME, encodeValue } from '../src/internal.js'

const LIMIT = 16 * 1024 * 1024

describe('checkMessage', () => {
  it('accepts any JSON-like value, and such values survive an encode/decode round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        if (hasProtoKey(value)) {
          expect(() => checkMessage(value, LIMIT)).toThrow(/__proto__/)
          return
        }
        checkMessage(value, LIMIT)
        // JSON's own round trip is the expectation: msgpack, like JSON, has no negative zero.
        expect(decodeValue(encodeValue(value), DETACHED_RUNTIME)).toEqual(JSON.parse(JSON.stringify(value)))
      }),
    )
  })

  it('accepts the string "__proto__" as a value (only an own key of that name is refused)', () => {
    const value = ['__proto__', { a: '__proto__' }]
    checkMessage(value, LIMIT)
    expect(decodeValue(encodeValue(value), DETACHED_RUNTIME)).toEqual(value)
  })

  it('its size bound is never below the real encoded size', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        if (hasProtoKey(value)) return
        const size = encodeValue(value).byteLength
        // A limit one byte under the real size must be caught; the real size must pass.
        if (size > 1) expect(() => checkMessage(value, size - 1)).toThrow(MessageTooLargeError)
        checkMessage(value, size)
      }),
    )
  })

  it.each([
    ['a function', { a: [1, { f: () => 1 }] }, 'message.a[1].f: functions cannot be sent'],
    ['a symbol', [Symbol('x')], 'message[0]: symbols cannot be sent'],
    ['a promise', { p: Promise.resolve() }, 'message.p: a Promise instance cannot be sent'],
    ['a WeakMap', new Map([['k', new WeakMap()]]), 'message.get(k): a WeakMap instance cannot be sent'],
    ['a too-big bigint', { n: 2n ** 64n }, 'message.n: bigint does not fit in 64 bits'],
    ['a __proto__ key', { a: JSON.parse('{"__proto__": 1}') as unknown }, 'message.a: the key "__proto__" cannot be sent'],
  ])('rejects %s, naming the path', (_name, value, message) => {
    expect(() => checkMessage(value, LIMIT)).toThrow(MessageEncodeError)
    expect(() => checkMessage(value, LIMIT)).toThrow(message)
  })

  it('rejects cycles and excessive nesting', () => {
    const cyclic: { self?: unknown } = {}
    cyclic.self = cyclic
    expect(() => checkMessage(cyclic, LIMIT)).toThrow(/message\.self: the value is cyclic/)
    let deep: unknown = 1
    for (let i = 0; i < 100; i++) deep = [deep]
    expect(() => checkMessage(deep, LIMIT)).toThrow(/deeper than 64/)
  })

  it('reports the exact size of an oversized message', () => {
    const value = 'x'.repeat(1000)
    const error = (() => {
      try {
        checkMessage(value, 100)
      } catch (e) {
        return e as MessageTooLargeError
      }
    })()
    expect(error).toBeInstanceOf(MessageTooLargeError)
    expect(error?.size).toBe(encodeValue(value).byteLength)
    expect(error?.limit).toBe(100)
  })
})

/**
 * Whether an object inside has an own `__proto__` key, which the validator refuses. (A *string*
 * "__proto__" is fine, and fast-check likes to generate one, so the JSON text cannot tell.)
 */
function hasProtoKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return value.some(hasProtoKey)
  return Object.keys(value).some((key) => key === '__proto__') || Object.values(value).some(hasProtoKey)
}
