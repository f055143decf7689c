import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

// The allow-list names module files, and those are `.js` in dist but `.ts` when run from sources
// (vitest, tsx): take the extension of this very module, which sits next to them.
const extension = extname(fileURLToPath(import.meta.url))

const moduleUrl = (name: string): URL => new URL(`./${name}${extension}`, import.meta.url)

/** Every module defining an actor of the demo: the system's `actors` allow-list. */
export const DEMO_ACTOR_MODULES: readonly URL[] = [moduleUrl('producer'), moduleUrl('consumer'), moduleUrl('ledger'), moduleUrl('saboteur')]
