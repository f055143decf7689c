import { MessageEncodeError, MessageTooLargeError } from '../errors/errors.js'
import { ActorRefImpl } from '../ref/actor-ref.js'
import { encodeValue } from './codec.js'

/**
 * Checks, at `tell`/`ask` time, that a message can cross a thread, and that it fits the size
 * limit. Encoding happens later, once per batch; this walk is what lets `tell` throw
 * `MessageEncodeError` synchronously instead of failing on another thread. msgpackr alone would
 * not do: it silently turns functions into `undefined` and promises into `{}`.
 *
 * It also refuses an own `__proto__` key, which the decoder would rename.
 *
 * The walk also computes an upper bound of the encoded size; only messages whose bound exceeds
 * the limit pay for an exact encode.
 */
export function checkMessage(value: unknown, maxBytes: number): void {
  let bound: number
  try {
    bound = sizeBound(value, 0)
  } catch (error) {
    if (error instanceof Unencodable) throw describeFailure(value)
    throw error
  }
  if (bound > maxBytes) {
    const size = encodeValue(value).byteLength
    if (size > maxBytes) throw new MessageTooLargeError(size, maxBytes)
  }
}

const MAX_DEPTH = 64
const INT64_MIN = -(2n ** 63n)
const UINT64_MAX = 2n ** 64n - 1n

/** Thrown by the fast walk; the slow walk then finds the path for the error message. */
class Unencodable extends Error {}

function sizeBound(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'number':
      return 9
    case 'string':
      return value.length * 3 + 5
    case 'boolean':
    case 'undefined':
      return 1
    case 'bigint':
      if (value < INT64_MIN || value > UINT64_MAX) throw new Unencodable()
      return 9
    case 'object': {
      if (value === null) return 1
      if (depth >= MAX_DEPTH) throw new Unencodable()
      if (Array.isArray(value)) {
        let size = 5
        for (let i = 0; i < value.length; i++) size += sizeBound(value[i], depth + 1)
        return size
      }
      const proto: unknown = Object.getPrototypeOf(value)
      if (proto === Object.prototype || proto === null) {
        let size = 5
        for (const key of Object.keys(value)) {
          if (key === '__proto__') throw new Unencodable()
          size += key.length * 3 + 5 + sizeBound((value as Record<string, unknown>)[key], depth + 1)
        }
        return size
      }
      return builtInSizeBound(value, depth)
    }
    default:
      throw new Unencodable()
  }
}

function builtInSizeBound(value: object, depth: number): number {
  if (value instanceof ActorRefImpl) return 24 + (value.name?.length ?? 0) * 3
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength + 12
  if (value instanceof Date) return 15
  if (value instanceof RegExp) return value.source.length * 3 + 16
  if (value instanceof Map) {
    let size = 5
    for (const [k, v] of value) size += sizeBound(k, depth + 1) + sizeBound(v, depth + 1)
    return size
  }
  if (value instanceof Set) {
    let size = 8
    for (const v of value) size += sizeBound(v, depth + 1)
    return size
  }
  if (value instanceof Error) return (value.name.length + value.message.length) * 3 + 16
  throw new Unencodable()
}

function describeFailure(root: unknown): MessageEncodeError {
  const seen = new Set<unknown>()
  const visit = (value: unknown, path: string, depth: number): MessageEncodeError | undefined => {
    if (typeof value === 'function') return new MessageEncodeError(path, 'functions cannot be sent')
    if (typeof value === 'symbol') return new MessageEncodeError(path, 'symbols cannot be sent')
    if (typeof value === 'bigint') return sizeBoundOrUndefined(value) === undefined ? new MessageEncodeError(path, 'bigint does not fit in 64 bits') : undefined
    if (typeof value !== 'object' || value === null) return undefined
    if (seen.has(value)) return new MessageEncodeError(path, 'the value is cyclic')
    if (depth >= MAX_DEPTH) return new MessageEncodeError(path, `nesting is deeper than ${MAX_DEPTH} levels`)
    seen.add(value)
    try {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found = visit(value[i], `${path}[${i}]`, depth + 1)
          if (found) return found
        }
        return undefined
      }
      const proto: unknown = Object.getPrototypeOf(value)
      if (proto === Object.prototype || proto === null) {
        for (const [key, child] of Object.entries(value)) {
          // The decoder renames this key (a prototype-pollution guard): refuse rather than alter.
          if (key === '__proto__') return new MessageEncodeError(path, 'the key "__proto__" cannot be sent')
          const found = visit(child, `${path}.${key}`, depth + 1)
          if (found) return found
        }
        return undefined
      }
      if (value instanceof Map) {
        for (const [k, v] of value) {
          const found = visit(k, `${path}<key>`, depth + 1) ?? visit(v, `${path}.get(${String(k)})`, depth + 1)
          if (found) return found
        }
        return undefined
      }
      if (value instanceof Set) {
        for (const v of value) {
          const found = visit(v, `${path}<item>`, depth + 1)
          if (found) return found
        }
        return undefined
      }
      if (sizeBoundOrUndefined(value) !== undefined) return undefined
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'unknown'
      return new MessageEncodeError(path, `a ${name} instance cannot be sent; send plain data (objects, arrays, primitives, Map, Set, Date, typed arrays, ActorRef)`)
    } finally {
      seen.delete(value)
    }
  }
  return visit(root, 'message', 0) ?? new MessageEncodeError('message', 'unsupported value')
}

function sizeBoundOrUndefined(value: unknown): number | undefined {
  try {
    return typeof value === 'object' && value !== null ? builtInSizeBound(value, MAX_DEPTH - 1) : sizeBound(value, 0)
  } catch {
    return undefined
  }
}
