import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

// The allow-list names module files: `.js` in dist, `.ts` when run from sources (vitest, tsx).
// This module sits next to them, so its own extension tells which.
const extension = extname(fileURLToPath(import.meta.url))
const moduleUrl = (name: string): URL => new URL(`./${name}${extension}`, import.meta.url)

/**
 * Every module defining an actor of the KV store: the system's `actors` allow-list. The log
 * writer is spawned as `KvLogWriter`, this folder's subclass of the store's `LogWriter`, so the
 * store's own module need not be listed.
 */
export const KV_STORE_ACTOR_MODULES: readonly URL[] = [moduleUrl('kv-shard'), moduleUrl('kv-log-writer'), moduleUrl('shard-supervisor'), moduleUrl('heartbeat-monitor')]
