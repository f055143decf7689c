import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STORE_ACTOR_MODULES } from '../store/index.js'

// The allow-list names module files: `.js` in dist, `.ts` when run from sources (vitest, tsx).
// This module sits next to them, so its own extension tells which.
const extension = extname(fileURLToPath(import.meta.url))
const moduleUrl = (name: string): URL => new URL(`./${name}${extension}`, import.meta.url)

/** Every module defining an actor of the flash sale: the system's `actors` allow-list. */
export const FLASH_SALE_ACTOR_MODULES: readonly URL[] = [moduleUrl('inventory'), moduleUrl('buyer'), ...STORE_ACTOR_MODULES]
