import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

// `.js` in dist, `.ts` when run from sources (vitest, tsx): the modules sit next to this one.
const extension = extname(fileURLToPath(import.meta.url))
const moduleUrl = (name: string): URL => new URL(`./${name}${extension}`, import.meta.url)

/** Every module defining an actor of this example: each node's `actors` allow-list. */
export const CLUSTER_TASKS_ACTOR_MODULES: readonly URL[] = [moduleUrl('tally'), moduleUrl('directory'), moduleUrl('task-runner')]

/** The node program the launcher starts three times. */
export const CLUSTER_TASKS_NODE = moduleUrl('node')
