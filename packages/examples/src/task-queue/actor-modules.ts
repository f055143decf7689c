import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { taskType } from 'troupe'
import type { crunch } from './crunch.js'

// The allow-lists name module files, and those are `.js` in dist but `.ts` when run from sources
// (vitest, tsx): take the extension of this very module, which sits next to them.
const extension = extname(fileURLToPath(import.meta.url))

const moduleUrl = (name: string): URL => new URL(`./${name}${extension}`, import.meta.url)

/** Every module defining an actor of this example: the system's `actors` allow-list. */
export const TASK_QUEUE_ACTOR_MODULES: readonly URL[] = [
  moduleUrl('master'),
  moduleUrl('worker'),
  moduleUrl('aggregator'),
  moduleUrl('monitor'),
  moduleUrl('submitter'),
]

/** The offload pool's allow-list: the only module whose functions may run there. */
export const TASK_QUEUE_TASK_MODULES: readonly URL[] = [moduleUrl('crunch')]

/** `cpu` tasks run `crunch` in the offload pool. */
export const CRUNCH_TASK = taskType<typeof crunch>(moduleUrl('crunch'), 'crunch')
