import { MessageEncodeError, MessageTooLargeError } from '../errors/errors.js'
import { ActorRefImpl, type Selector } from '../ref/actor-ref.js'
import { EntityRefImpl } from '../ref/entity-ref.js'
import { encodeValue } from './codec.js'

/**
 * Checks, at `tell`/`ask` time, that a message can cross a thread unchanged, and that it fits the
 * size limit. Encoding happens later, once per batch; this walk is what lets `tell` throw
 * `MessageEncodeError` synchronously instead of failing (or silently altering the value) on
 * another thread. msgpackr alone would not do: it turns functions into `undefined`, promises
 * into `{}`, drops symbol keys, fills array holes and replaces lone surrogates.
 *
 * Every check rides on the one walk that computes the size bound, and each is paid only where
 * it can fail: a string is checked for lone surrogates by the engine (free for one-byte
 * strings), an array slot for being a hole only when it reads as `undefined`.
 *
 * The walk also computes an upper bound of the encoded size; only messages whose bound exceeds
 * the limit pay for an exact encode.
 */
export function checkMessage(value: unknown, maxBytes: number): void {
  let bound: number
  try {
    bound = sizeBound(value, 0)
  } catch (error) {
    // Anything thrown while reading the value (a getter, a revoked proxy) is a bad message too.
    throw describeFailure(value, error instanceof Unencodable ? undefined : error)
  }
  if (bound > maxBytes) checkExactSize(value, maxBytes)
}

/**
 * `checkMessage` for the arguments of a method call (`ref.tell.method(...args)`). The ref made
 * that array itself (rest parameters), so it is a plain, dense array: only its items are walked,
 * and a number, the commonest argument, costs one comparison. This is the check every method
 * message pays on the send path.
 */
export function checkArguments(args: unknown, maxBytes: number): void {
  if (!Array.isArray(args)) return checkMessage(args, maxBytes)
  const items = args as unknown[]
  let bound = 5
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (typeof item === 'number') {
      bound += 9
      continue
    }
    try {
      bound += sizeBound(item, 1)
    } catch (error) {
      throw describeFailure(items, error instanceof Unencodable ? undefined : error)
    }
  }
  if (bound > maxBytes) checkExactSize(items, maxBytes)
}

/** The check of a message's body: a method's selector (a string) comes with the argument array the ref made; anything else is a message as given. */
export function checkBody(selector: Selector, body: unknown, maxBytes: number): void {
  if (typeof selector === 'string') checkArguments(body, maxBytes)
  else checkMessage(body, maxBytes)
}

/** The bound says it may be too large: only an encode tells. */
function checkExactSize(value: unknown, maxBytes: number): void {
  const size = encodeValue(value).byteLength
  if (size > maxBytes) throw new MessageTooLargeError(size, maxBytes)
}

const MAX_DEPTH = 64
const INT64_MIN = -(2n ** 63n)
const UINT64_MAX = 2n ** 64n - 1n

/** Thrown by the fast walk; the slow walk then finds the path for the error message. */
class Unencodable extends Error {}

/** `String.prototype.isWellFormed` (Node 20+, ES2024): false for a string with a lone surrogate. */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed()

function sizeBound(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'number':
      return 9
    case 'string':
      if (!isWellFormed(value)) throw new Unencodable()
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
      // One prototype load tells the common kinds apart (this walk runs for every message). An
      // array whose prototype is not Array.prototype is a subclass (or from another realm): it
      // would arrive as a plain array, so it falls through to the built-in kinds and is refused.
      const proto: unknown = Object.getPrototypeOf(value)
      if (proto === Array.prototype) {
        const array = value as unknown[]
        let size = 5
        for (let i = 0; i < array.length; i++) {
          const item = array[i]
          if (item === undefined && !(i in array)) throw new Unencodable() // a hole
          size += sizeBound(item, depth + 1)
        }
        return size
      }
      if (proto === Object.prototype || proto === null) {
        // Object.keys (fast: V8 caches it per shape), then symbols on their own: a symbol key would
        // be dropped silently, so it must be seen. Reflect.ownKeys does both but costs twice as much.
        if (Object.getOwnPropertySymbols(value).length > 0) throw new Unencodable()
        let size = 5
        for (const key of Object.keys(value)) {
          if (key === '__proto__' || !isWellFormed(key)) throw new Unencodable()
          size += key.length * 3 + 5 + sizeBound((value as Record<string, unknown>)[key], depth + 1)
        }
        return size
      }
      return builtInSizeBound(value, proto, depth)
    }
    default:
      throw new Unencodable()
  }
}

/** Typed arrays travel as their own kind; a subclass would not (msgpackr looks them up by name). */
const TYPED_ARRAY_PROTOTYPES: ReadonlySet<unknown> = new Set(
  [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView, Buffer].map(
    (kind) => kind.prototype,
  ),
)

/** Built-in kinds that arrive as themselves. Subclasses are refused: they would lose their class. */
function builtInSizeBound(value: object, proto: unknown, depth: number): number {
  if (value instanceof ActorRefImpl) return 24 + (value.name?.length ?? 0) * 3
  if (value instanceof EntityRefImpl) return 8 + (value.entityName.length + value.key.length) * 3
  if (TYPED_ARRAY_PROTOTYPES.has(proto)) return (value as ArrayBufferView).byteLength + 12
  if (proto === ArrayBuffer.prototype) return (value as ArrayBuffer).byteLength + 12
  if (proto === Date.prototype) return 15
  if (proto === RegExp.prototype) return (value as RegExp).source.length * 3 + 16
  if (proto === Map.prototype) {
    let size = 5
    for (const [k, v] of value as Map<unknown, unknown>) size += sizeBound(k, depth + 1) + sizeBound(v, depth + 1)
    return size
  }
  if (proto === Set.prototype) {
    let size = 8
    for (const v of value as Set<unknown>) size += sizeBound(v, depth + 1)
    return size
  }
  // Errors travel as their wire form (class, code, stack, cause, fields): rare, so measured exactly.
  if (value instanceof Error) return encodeValue(value).byteLength + 64
  throw new Unencodable()
}

/** The slow walk, run only once a message failed: finds the first bad value and names its path. */
function describeFailure(root: unknown, thrown: unknown): MessageEncodeError {
  const seen = new Set<unknown>()
  const visit = (value: unknown, path: string, depth: number): MessageEncodeError | undefined => {
    if (typeof value === 'function') return new MessageEncodeError(path, 'functions cannot be sent')
    if (typeof value === 'symbol') return new MessageEncodeError(path, 'symbols cannot be sent')
    if (typeof value === 'bigint') return sizeBoundOrUndefined(value) === undefined ? new MessageEncodeError(path, 'bigint does not fit in 64 bits') : undefined
    if (typeof value === 'string') {
      return isWellFormed(value) ? undefined : new MessageEncodeError(path, 'the string has a lone surrogate (invalid UTF-16), which UTF-8 cannot carry')
    }
    if (typeof value !== 'object' || value === null) return undefined
    if (seen.has(value)) return new MessageEncodeError(path, 'the value is cyclic')
    if (depth >= MAX_DEPTH) return new MessageEncodeError(path, `nesting is deeper than ${MAX_DEPTH} levels`)
    seen.add(value)
    try {
      const proto: unknown = Object.getPrototypeOf(value)
      if (proto === Array.prototype) {
        const array = value as unknown[]
        for (let i = 0; i < array.length; i++) {
          if (!(i in array)) return new MessageEncodeError(`${path}[${i}]`, 'a sparse array (hole) cannot be sent; fill the hole, e.g. with undefined')
          const found = visit(readItem(array as unknown as Record<number, unknown>, i, `${path}[${i}]`), `${path}[${i}]`, depth + 1)
          if (found) return found
        }
        return undefined
      }
      if (proto === Object.prototype || proto === null) {
        for (const key of Reflect.ownKeys(value)) {
          if (typeof key === 'symbol') return new MessageEncodeError(path, `the symbol key ${String(key)} cannot be sent`)
          // The decoder renames this key (a prototype-pollution guard): refuse rather than alter.
          if (key === '__proto__') return new MessageEncodeError(path, 'the key "__proto__" cannot be sent')
          if (!isWellFormed(key)) return new MessageEncodeError(path, `the key ${JSON.stringify(key)} has a lone surrogate (invalid UTF-16), which UTF-8 cannot carry`)
          const found = visit(readItem(value as Record<string, unknown>, key, `${path}.${key}`), `${path}.${key}`, depth + 1)
          if (found) return found
        }
        return undefined
      }
      if (proto === Map.prototype) {
        for (const [k, v] of value as Map<unknown, unknown>) {
          const found = visit(k, `${path}<key>`, depth + 1) ?? visit(v, `${path}.get(${String(k)})`, depth + 1)
          if (found) return found
        }
        return undefined
      }
      if (proto === Set.prototype) {
        for (const v of value as Set<unknown>) {
          const found = visit(v, `${path}<item>`, depth + 1)
          if (found) return found
        }
        return undefined
      }
      if (sizeBoundOrUndefined(value) !== undefined) return undefined
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'unknown'
      return new MessageEncodeError(
        path,
        `a ${name} instance cannot be sent; send plain data (objects, arrays, primitives, Map, Set, Date, RegExp, Error, typed arrays, Buffer, ActorRef)`,
      )
    } catch (error) {
      if (error instanceof MessageEncodeError) return error
      return new MessageEncodeError(path, `reading the value threw: ${errorMessage(error)}`, { cause: error })
    } finally {
      seen.delete(value)
    }
  }
  const found = visit(root, 'message', 0)
  if (found) return found
  // The fast walk failed but the slow one found nothing: a getter that threw only once.
  return thrown === undefined
    ? new MessageEncodeError('message', 'unsupported value')
    : new MessageEncodeError('message', `reading the value threw: ${errorMessage(thrown)}`, { cause: thrown })
}

/** Reads one property; a getter that throws is reported at its own path. */
function readItem(container: Record<string | number, unknown>, key: string | number, path: string): unknown {
  try {
    return container[key]
  } catch (error) {
    throw new MessageEncodeError(path, `reading the value threw: ${errorMessage(error)}`, { cause: error })
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function sizeBoundOrUndefined(value: unknown): number | undefined {
  try {
    return typeof value === 'object' && value !== null ? builtInSizeBound(value, Object.getPrototypeOf(value), MAX_DEPTH - 1) : sizeBound(value, 0)
  } catch {
    return undefined
  }
}
