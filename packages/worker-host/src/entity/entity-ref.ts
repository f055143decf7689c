import { InvalidOptionError, type ActorRef, type EntityClass, type EntityTypeRef } from '@troupe/core'
import { ENTITY_NAME, EntityRefImpl, entityNameOf, isEntityClass, type RefRuntime } from '@troupe/core/internal'

/** Longest store id (`<entity name>/<key>`) in UTF-8 bytes: the store's key limit (LMDB's keys are bounded). */
export const MAX_STORE_ID_BYTES = 1024

/** Whether `key` makes a valid store id with entity `name`: non-empty, no NUL, within the store's bound. */
export function isEntityKey(name: string, key: unknown): key is string {
  return typeof key === 'string' && key.length > 0 && !key.includes('\u0000') && Buffer.byteLength(key, 'utf8') + Buffer.byteLength(name, 'utf8') + 1 <= MAX_STORE_ID_BYTES
}

/**
 * `system.entity(Type, key)` / `ctx.entity(Type, key)`: a ref at once, with no round trip and
 * nothing activated until a message arrives. Its type is checked here (an `Entity` subclass, or
 * `entityType(name)`); whether the class is allow-listed is checked where it is activated.
 */
export function entityRef<C extends EntityClass>(runtime: RefRuntime, type: C | EntityTypeRef<C>, key: string): ActorRef<InstanceType<C>> {
  let name: string
  if (isEntityClass(type)) name = entityNameOf(type)
  else if (typeof type === 'object' && type !== null && typeof (type as EntityTypeRef).entityName === 'string') name = (type as EntityTypeRef).entityName
  else throw new InvalidOptionError('type', 'an Entity subclass or entityType(name)', type)
  if (!ENTITY_NAME.test(name)) throw new InvalidOptionError('entityName', `a name matching ${ENTITY_NAME}`, name)
  if (!isEntityKey(name, key)) {
    throw new InvalidOptionError('key', `a non-empty string without NUL, at most ${MAX_STORE_ID_BYTES} UTF-8 bytes with the entity's name`, key)
  }
  return new EntityRefImpl<InstanceType<C>>(name, key, runtime, undefined)
}
