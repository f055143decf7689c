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
/** What the running message publishes, held until its state is committed (see `afterCommit`). */
const OUTBOX: unique symbol = Symbol('troupe.outbox')
type Durable = Record<PropertyKey, unknown> & { [KEEPER]: StateKeeper; [HANDLING]?: boolean; [OUTBOX]?: (() => void)[] }

/**
 * Runs `send` once the message the entity is handling has committed its state (at once outside
 * a handler), and never if the message fails: a subscriber never hears of a change that was
 * not stored (the outbox pattern).
 */
export function afterCommit(instance: object, send: () => void): void {
  const durable = instance as Durable
  if (durable[HANDLING] !== true) return send()
  ;(durable[OUTBOX] ??= []).push(send)
}

function flushOutbox(instance: Durable): void {
  const outbox = instance[OUTBOX]
  if (outbox === undefined) return
  instance[OUTBOX] = undefined
  for (const send of outbox) send()
}

/** The message failed: what it would have published is dropped with its changes. */
function dropOutbox(instance: Durable): void {
  instance[OUTBOX] = undefined
}

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
    dropOutbox(instance)
    keeper.revert(instance)
    throw error
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => commitThen(instance, keeper, value),
      (error: unknown) => {
        instance[HANDLING] = false
        dropOutbox(instance)
        keeper.revert(instance)
        throw error
      },
    )
  }
  return commitThen(instance, keeper, result)
}

/** Commits the message's state, then lets out what it published, then answers with `value`. */
function commitThen(instance: Durable, keeper: StateKeeper, value: unknown): unknown {
  instance[HANDLING] = false
  let commit: Promise<void> | undefined
  try {
    commit = keeper.commit(instance)
  } catch (error) {
    dropOutbox(instance)
    throw error
  }
  if (commit === undefined) {
    flushOutbox(instance)
    return value
  }
  return commit.then(
    () => {
      flushOutbox(instance)
      return value
    },
    (error: unknown) => {
      dropOutbox(instance)
      throw error
    },
  )
}
