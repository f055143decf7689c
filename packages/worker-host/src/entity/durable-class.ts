import type { LoadedActorClass } from '../host/module-registry.js'
import { messageHandlersOf } from '../host/message-handlers.js'
import { isThenable } from '../host/message-target.js'

/** Where a durable instance commits its state: its activation (see `EntityActivation`). */
export interface StateKeeper {
  /**
   * Commits the instance's `state` if it changed since the last commit: undefined when it did
   * not (nothing to wait for), else a promise that settles once the store has it. Throws (or
   * rejects) when it cannot be stored, having put the last committed state back.
   */
  commit(instance: object): Promise<void> | undefined
  /** Puts the last committed state back: the message that changed it failed. */
  revert(instance: object): void
}

/** The keeper of each durable instance (set by its activation when it creates the instance). */
export const KEEPER: unique symbol = Symbol('troupe.state-keeper')
/** Set while a message's handler runs: a handler calling another method of its entity commits once, at the end. */
const HANDLING: unique symbol = Symbol('troupe.handling')
type Durable = Record<PropertyKey, unknown> & { [KEEPER]: StateKeeper; [HANDLING]?: boolean }

const durableClasses = new WeakMap<LoadedActorClass, LoadedActorClass>()

/**
 * The class an entity is instantiated as: a subclass of the user's whose message handlers (and
 * `receive`, and `onReminder`) commit the state when the message ends, before its reply leaves,
 * and put the committed state back when it fails. One subclass per entity class, made once: an
 * instance pays nothing for it but a symbol property, and the cell runs it like any actor (it
 * waits for the returned promise before the next message, so commits of one entity never overlap).
 */
export function durableClassOf(entityClass: LoadedActorClass): LoadedActorClass {
  let durable = durableClasses.get(entityClass)
  if (durable !== undefined) return durable
  durable = class extends entityClass {}
  Object.defineProperty(durable, 'name', { value: entityClass.name })
  const proto = entityClass.prototype as Record<string, unknown>
  for (const name of [...messageHandlersOf(entityClass), 'receive', 'onReminder']) {
    const original = proto[name]
    if (typeof original !== 'function') continue
    Object.defineProperty(durable.prototype, name, {
      value: function (this: Durable, ...args: unknown[]): unknown {
        return runDurably(this, original as (...args: unknown[]) => unknown, args)
      },
      writable: true,
      configurable: true,
    })
  }
  durableClasses.set(entityClass, durable)
  return durable
}

function runDurably(instance: Durable, handler: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  // A method called by the entity's own handler (`this.add(1)`) is part of that message.
  if (instance[HANDLING] === true) return handler.apply(instance, args)
  const keeper = instance[KEEPER]
  instance[HANDLING] = true
  let result: unknown
  try {
    result = handler.apply(instance, args)
  } catch (error) {
    instance[HANDLING] = false
    keeper.revert(instance)
    throw error
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        instance[HANDLING] = false
        const commit = keeper.commit(instance)
        return commit === undefined ? value : commit.then(() => value)
      },
      (error: unknown) => {
        instance[HANDLING] = false
        keeper.revert(instance)
        throw error
      },
    )
  }
  instance[HANDLING] = false
  const commit = keeper.commit(instance)
  return commit === undefined ? result : commit.then(() => result)
}
