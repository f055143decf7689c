/**
 * A value the log can hold: what JSON round-trips exactly. Declare value shapes with `type`
 * rather than `interface` (TypeScript lets only the former satisfy the index signature).
 */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/**
 * True when `value` survives `JSON.stringify` → `JSON.parse` unchanged. Messages reach the writer
 * from any thread, untyped senders included, and `JSON.stringify` would silently turn `NaN` into
 * `null`, drop `undefined` members and flatten a `Map` or `Date`: better refused at `append`.
 */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 64) return false
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1))
  if (typeof value !== 'object') return false
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return false
  return Object.values(value).every((item) => isJsonValue(item, depth + 1))
}
