import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FLASH_SALE_ACTOR_MODULES } from '../flash-sale/actor-modules.js'

// The allow-list names module files: `.js` in dist, `.ts` when run from sources (vitest, tsx).
// This module sits next to them, so its own extension tells which.
const extension = extname(fileURLToPath(import.meta.url))
const moduleUrl = (name: string): URL => new URL(`./${name}${extension}`, import.meta.url)

/** The flash sale's actors and the patient buyer: the allow-list of the manual-time example. */
export const SALE_TEST_ACTORS: readonly URL[] = [...FLASH_SALE_ACTOR_MODULES, moduleUrl('patient-buyer')]

/** The account and its clients: the allow-list of the race example. */
export const ACCOUNT_ACTORS: readonly URL[] = [moduleUrl('account')]
