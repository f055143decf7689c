import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

// The allow-list names module files: `.js` in dist, `.ts` when run from sources (vitest, tsx).
// Take the extension of this very module, which sits next to them.
const extension = extname(fileURLToPath(import.meta.url))

const moduleUrl = (name: string): URL => new URL(`./${name}${extension}`, import.meta.url)

/** Every module defining an actor of this example: each node's `actors` allow-list. */
export const CLUSTER_CHAT_ACTOR_MODULES: readonly URL[] = [moduleUrl('chat-room'), moduleUrl('chat-user'), moduleUrl('reporter')]
