import { ACTOR_BRAND, ENTITY_BRAND, EVENT_SOURCED_BRAND } from '@troupe/core/internal'

/** troupe's own base classes: nothing they declare is a message. */
const BASE_BRANDS = [ACTOR_BRAND, ENTITY_BRAND, EVENT_SOURCED_BRAND]

const RESERVED = new Set(['constructor', 'onStart', 'onStop', 'onRestart', 'onTerminated', 'onReminder', 'applyEvent', 'upcastEvent', 'receive', 'then'])
const cache = new WeakMap<object, ReadonlySet<string>>()

/**
 * The method names a class accepts as messages: functions declared on its prototype chain below
 * `Actor`, minus lifecycle hooks. Anything else a remote sender names (`toString`, `__proto__`,
 * `ctx`) is rejected, so a message can only ever call what the class declared.
 */
export function messageHandlersOf(actorClass: abstract new (...args: never[]) => unknown): ReadonlySet<string> {
  let names = cache.get(actorClass)
  if (names) return names
  const found = new Set<string>()
  for (let proto: object | null = actorClass.prototype as object; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const owner = (proto as { constructor?: unknown }).constructor
    if (typeof owner === 'function' && BASE_BRANDS.some((brand) => Object.prototype.hasOwnProperty.call(owner, brand))) break
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (RESERVED.has(name)) continue
      const descriptor = Object.getOwnPropertyDescriptor(proto, name)
      if (descriptor && typeof descriptor.value === 'function') found.add(name)
    }
  }
  names = found
  cache.set(actorClass, names)
  return names
}
