import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

// The allow-list names module files: `.js` in dist, `.ts` when run from sources (vitest, tsx).
// This module sits next to them, so its own extension tells which.
const extension = extname(fileURLToPath(import.meta.url))

/** The store's actor modules, for an app's `actors` allow-list. */
export const STORE_ACTOR_MODULES: readonly URL[] = [new URL(`./log-writer${extension}`, import.meta.url)]
