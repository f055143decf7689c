import { ACTOR_BRAND } from '@troupe/core/internal'

const RESERVED = new Set(['constructor', 'onStart', 'onStop', 'onRestart', 'onTerminated', 'receive', 'then'])
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
    if (typeof owner === 'function' && Object.prototype.hasOwnProperty.call(owner, ACTOR_BRAND)) break
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
