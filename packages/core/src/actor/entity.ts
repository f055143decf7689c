import { Actor } from './actor.js'
import type { ActorClass } from './actor-type.js'
import type { ActorContext } from './context.js'

/** Brands entity classes across module copies (see `ACTOR_BRAND`). */
export const ENTITY_BRAND: unique symbol = Symbol.for('troupe.entity')

/**
 * A virtual actor (Orleans' grain, Dapr's actor, Akka's sharded entity): addressed by its type and
 * a key, it always exists logically. `system.entity(Banner, 'b-17')` returns a ref at once; the
 * entity is activated on its first message on the thread its (type, key) hashes to, its `state`
 * loaded from the system's store; passivated after `idleTimeoutMs` without messages; activated
 * again on the next one. There is one activation per key at a time.
 *
 * `state` is durable: troupe loads it before the first message and, at the end of every message
 * that changed it, commits it to the store before the reply leaves (an `ask` resolves once the
 * change is stored; a `send` resolves when the message is accepted, before it runs). A
 * message that fails (throws, rejects, or leaves a state msgpack cannot encode) changes nothing:
 * the entity goes on from the state last committed. Declare it with its initial value, which is
 * what an entity that was never stored starts from:
 *
 * ```ts
 * export class Banner extends Entity<Banner, { text?: string }> {
 *   state = {}
 *   show(text: string) { this.state = { text } }
 * }
 * ```
 *
 * The entity's name in the store is `static entityName`, else the class name: set it, so that
 * renaming the class (or a minifier) does not orphan stored state.
 */
export abstract class Entity<Self = unknown, State = unknown> extends Actor<Self> {
  static readonly [ENTITY_BRAND] = true
  /** The durable state. Assign or mutate it in handlers; it is committed when the message ends. */
  abstract state: State

  /** This entity's key. */
  get key(): string {
    return this.ctx.key
  }

  protected override get ctx(): EntityContext<unknown extends Self ? this : Self> {
    return super.ctx as EntityContext<unknown extends Self ? this : Self>
  }
}

/** Lifecycle hook of entities with reminders (`ctx.remind`). */
export interface EntityLifecycle {
  /**
   * A reminder is due: runs as a message of the entity, activating it if it is passivated (also
   * after a process restart). At least once: if the process dies before the handler ends, it runs
   * again after the restart. A one-shot reminder is removed once this returns; a periodic one is
   * due again `periodMs` later.
   */
  onReminder?(name: string): void | Promise<void>
}

/** When a reminder is due (`ctx.remind`): `dueMs` from now, or at `atMs` (ms since the epoch); `periodMs` repeats it. */
export type ReminderSchedule = ({ dueMs: number; atMs?: never } | { atMs: number; dueMs?: never }) & { periodMs?: number }

/** `this.ctx` of an entity: an actor's context, plus its key and durable reminders. */
export interface EntityContext<Self = unknown> extends ActorContext<Self> {
  readonly key: string
  /**
   * A durable timer (Orleans, Dapr): stored, it survives passivation and process restarts, and
   * calls `onReminder(name)` when due, activating the entity. A reminder of the same name is
   * replaced. Resolves once the reminder is stored. A periodic reminder that was due several times
   * while the process was down fires once, then keeps its period from then on.
   */
  remind(name: string, schedule: ReminderSchedule): Promise<void>
  /** Removes a reminder; resolves once it is removed from the store. */
  cancelReminder(name: string): Promise<void>
}

/** True for a class that extends `Entity` (from any copy of this package). */
export function isEntityClass(value: unknown): value is EntityClass {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[ENTITY_BRAND] === true
}

/** Any concrete entity class. */
export type EntityClass<E extends Entity = Entity> = ActorClass<E> & { readonly entityName?: string; readonly idleTimeoutMs?: number }

/** An entity type named without importing its class: `entityType<typeof Banner>('Banner')`. */
export interface EntityTypeRef<C extends EntityClass = EntityClass> {
  readonly entityName: string
  /** Phantom: carries the class type for inference. Never set at run time. */
  readonly __entity?: C
}

export function entityType<C extends EntityClass>(entityName: string): EntityTypeRef<C> {
  if (typeof entityName !== 'string' || !ENTITY_NAME.test(entityName)) throw new TypeError(`entityType: the entity name must match ${ENTITY_NAME}, got ${JSON.stringify(entityName)}`)
  return { entityName }
}

/** Entity names: they are part of store ids (`<name>/<key>`), so no slash. */
export const ENTITY_NAME = /^[A-Za-z_$][\w$.-]{0,99}$/

/**
 * The store name of an entity class: its own `static entityName`, else the class name. Only its
 * own: a subclass does not inherit its base's name, or the two would claim one name.
 */
export function entityNameOf(type: EntityClass | EntityTypeRef): string {
  if (typeof type === 'function') return Object.prototype.hasOwnProperty.call(type, 'entityName') ? (type.entityName as string) : type.name
  return type.entityName
}
