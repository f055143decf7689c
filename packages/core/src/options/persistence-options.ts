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
 * - `{ store: 'nats', servers }`: NATS JetStream key-value buckets on the NATS server(s)
 *   `servers` (`'nats://host:4222'`, or several URLs of one cluster), shared by every thread of
 *   every process that names the same servers and `bucket`: the store of a cluster. Each thread
 *   opens its own connection. `bucket` is the prefix of the buckets' names (default `'troupe'`:
 *   `troupe-state`, `troupe-journal`, `troupe-snapshots`, `troupe-reminders`), created if missing
 *   with `replicas` copies (default 1; 3 or 5 on a JetStream cluster).
 */
export type PersistenceOptions =
  | { readonly store: 'lmdb'; readonly path?: string; readonly durability?: 'sync' | 'process' }
  | { readonly store: 'memory' }
  | { readonly store: 'nats'; readonly servers: string | readonly string[]; readonly bucket?: string; readonly replicas?: number }

/** How entities behave (see `Entity`). */
export interface EntityOptions {
  /** An entity with no message for this long is passivated (its memory freed), in ms. Default 60 000; a class's `static idleTimeoutMs` overrides it. */
  readonly idleTimeoutMs?: number
}

export type ResolvedPersistence =
  | { store: 'lmdb'; path: string; durability: 'sync' | 'process' }
  | { store: 'memory' }
  | { store: 'nats'; servers: string[]; bucket: string; replicas: number }

export const DEFAULT_STORE_PATH = 'troupe-data'
export const DEFAULT_NATS_BUCKET = 'troupe'
/**
 * A bucket prefix: what NATS allows in a bucket (stream) name, short enough that the suffixed
 * names (`-snapshots`, `-reminders`) stay well inside NATS's limits.
 */
const BUCKET_PREFIX = /^[A-Za-z0-9_-]{1,64}$/
const NATS_URL = /^(nats|tls|wss?):\/\/[^\s]+$|^[^\s:/]+:\d+$/

export function resolvePersistence(value: unknown): ResolvedPersistence | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('persistence', "an object such as { store: 'lmdb', path: './data' }", value)
  const options = value as Record<string, unknown>
  if (options.store === 'memory') {
    checkKnownOptions(options, ['store'], 'persistence.')
    return { store: 'memory' }
  }
  if (options.store === 'nats') return resolveNats(options)
  if (options.store !== 'lmdb') throw new InvalidOptionError('persistence.store', "'lmdb', 'memory' or 'nats'", options.store)
  checkKnownOptions(options, ['store', 'path', 'durability'], 'persistence.')
  const path = options.path ?? DEFAULT_STORE_PATH
  if (typeof path !== 'string' || path.length === 0) throw new InvalidOptionError('persistence.path', 'a directory path', path)
  const durability = options.durability ?? 'sync'
  if (durability !== 'sync' && durability !== 'process') throw new InvalidOptionError('persistence.durability', "'sync' or 'process'", durability)
  return { store: 'lmdb', path: resolve(path), durability }
}

function resolveNats(options: Record<string, unknown>): ResolvedPersistence {
  checkKnownOptions(options, ['store', 'servers', 'bucket', 'replicas'], 'persistence.')
  const servers = natsServers(options.servers)
  const bucket = options.bucket ?? DEFAULT_NATS_BUCKET
  if (typeof bucket !== 'string' || !BUCKET_PREFIX.test(bucket)) {
    throw new InvalidOptionError('persistence.bucket', 'a bucket name prefix of 1 to 64 letters, digits, _ or -', bucket)
  }
  const replicas = options.replicas ?? 1
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw new InvalidOptionError('persistence.replicas', 'an integer from 1 to 5', replicas)
  }
  return { store: 'nats', servers, bucket, replicas }
}

/** As `cluster.servers`: one URL or a non-empty array, each `nats://host:port` (or tls, ws, wss) or `host:port`. */
function natsServers(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidOptionError('persistence.servers', "a NATS URL such as 'nats://127.0.0.1:4222', or a non-empty array of them", value)
  }
  return list.map((url: unknown, i) => {
    if (typeof url !== 'string' || !NATS_URL.test(url)) {
      throw new InvalidOptionError(Array.isArray(value) ? `persistence.servers[${i}]` : 'persistence.servers', "a NATS URL such as 'nats://127.0.0.1:4222'", url)
    }
    return url
  })
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
