import type { HashKeyPath } from '@troupe/core'

/**
 * The consistent-hash key of a message, found by a `HashKeyPath`: for `receive(msg)` the
 * message itself, else the argument at `argument`; then the dotted `path` inside it. A path
 * through something that is not an object yields undefined, which is a key like any other.
 */
export function messageKey(isReceive: boolean, body: unknown, key: HashKeyPath): unknown {
  let value: unknown = isReceive ? body : Array.isArray(body) ? body[key.argument ?? 0] : undefined
  if (key.path === undefined) return value
  for (const part of key.path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}
