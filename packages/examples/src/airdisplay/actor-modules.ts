import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

// The allow-list names module files, and those are `.js` in dist but `.ts` when run from sources
// (vitest, tsx): take the extension of this very module, which sits next to them.
const extension = extname(fileURLToPath(import.meta.url))

/** Every module defining an actor of this example: the system's `actors` allow-list. */
export const AIRDISPLAY_ACTOR_MODULES: readonly URL[] = [new URL(`./banner${extension}`, import.meta.url)]
