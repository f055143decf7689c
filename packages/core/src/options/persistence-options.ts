import { resolve } from 'node:path'
import { InvalidOptionError } from '../errors/errors.js'
import { checkKnownOptions } from './known-options.js'

/**
 * Where entities keep their durable state, journals and reminders (see docs/persistence.md).
 * - `{ store: 'lmdb', path }`: an LMDB environment in the directory `path` (created if missing;
 *   default `./troupe-data` under the working directory), shared by every thread of the process.
 *   `durability: 'sync'` (default) resolves a commit once it is flushed to disk (it survives a
 *   power loss); `'process'` once it is committed (it survives the process being killed, not
 *   necessarily the machine).
 * - `{ store: 'memory' }`: kept on the main thread, gone with the process. For tests.
 */
export type PersistenceOptions = { readonly store: 'lmdb'; readonly path?: string; readonly durability?: 'sync' | 'process' } | { readonly store: 'memory' }

/** How entities behave (see `Entity`). */
export interface EntityOptions {
  /** An entity with no message for this long is passivated (its memory freed), in ms. Default 60 000; a class's `static idleTimeoutMs` overrides it. */
  readonly idleTimeoutMs?: number
}

export type ResolvedPersistence = { store: 'lmdb'; path: string; durability: 'sync' | 'process' } | { store: 'memory' }

export const DEFAULT_STORE_PATH = 'troupe-data'

export function resolvePersistence(value: unknown): ResolvedPersistence | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('persistence', "an object such as { store: 'lmdb', path: './data' }", value)
  const options = value as Record<string, unknown>
  if (options.store === 'memory') {
    checkKnownOptions(options, ['store'], 'persistence.')
    return { store: 'memory' }
  }
  if (options.store !== 'lmdb') throw new InvalidOptionError('persistence.store', "'lmdb' or 'memory'", options.store)
  checkKnownOptions(options, ['store', 'path', 'durability'], 'persistence.')
  const path = options.path ?? DEFAULT_STORE_PATH
  if (typeof path !== 'string' || path.length === 0) throw new InvalidOptionError('persistence.path', 'a directory path', path)
  const durability = options.durability ?? 'sync'
  if (durability !== 'sync' && durability !== 'process') throw new InvalidOptionError('persistence.durability', "'sync' or 'process'", durability)
  return { store: 'lmdb', path: resolve(path), durability }
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000

export function resolveEntityOptions(value: unknown): { idleTimeoutMs: number } {
  if (value === undefined) return { idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS }
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('entities', 'an object such as { idleTimeoutMs: 60000 }', value)
  checkKnownOptions(value, ['idleTimeoutMs'], 'entities.')
  return { idleTimeoutMs: idleTimeout('entities.idleTimeoutMs', (value as EntityOptions).idleTimeoutMs) ?? DEFAULT_IDLE_TIMEOUT_MS }
}

/** An idle timeout (system option or an entity class's static), validated. */
export function idleTimeout(option: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 2 ** 31 - 1) return value
  throw new InvalidOptionError(option, 'an integer of ms from 1 to 2147483647', value)
}
