import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

// `.js` in dist, `.ts` when run from sources (vitest, tsx): the modules sit next to this one.
const extension = extname(fileURLToPath(import.meta.url))
const moduleUrl = (name: string): URL => new URL(`./${name}${extension}`, import.meta.url)

/** Every module defining an actor of this example: each node's `actors` allow-list. */
export const CLUSTER_PIPELINE_ACTOR_MODULES: readonly URL[] = [moduleUrl('outbox'), moduleUrl('directory'), moduleUrl('mailer'), moduleUrl('dead-letter-desk')]

/** The node program the launcher starts three times. */
export const CLUSTER_PIPELINE_NODE = moduleUrl('node')
