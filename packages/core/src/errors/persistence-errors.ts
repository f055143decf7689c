import { TroupeError } from './errors.js'

/**
 * A write to the entity store named a revision (durable state) or a sequence number (journal)
 * that is no longer the latest: another writer got there first. This is fencing: a stale
 * activation (an old one after a failover, or a second one by mistake) cannot overwrite what a
 * newer one wrote.
 */
export class StoreConflictError extends TroupeError {
  readonly code = 'ERR_STORE_CONFLICT'
  constructor(
    readonly entity: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the store holds revision ${actual} of ${entity}, not the expected ${expected}: another writer wrote it first`)
  }
}

/**
 * An entity's state (or an event it persisted) could not be encoded with msgpack when it was
 * committed. The message that changed it fails; the stored state stays what it was.
 */
export class StateEncodeError extends TroupeError {
  readonly code = 'ERR_STATE_ENCODE'
  constructor(
    readonly entity: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the state of ${entity} cannot be stored: ${reason}`, options)
  }
}

/** The entity store failed (it is closed, its disk is full, its directory cannot be opened). */
export class StoreError extends TroupeError {
  readonly code = 'ERR_STORE'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}
