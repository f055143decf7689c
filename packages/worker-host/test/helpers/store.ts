import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterTest } from './system.js'

/** A fresh directory for an entity store, removed after the test (after the systems using it have shut down). */
export function tempStoreDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'troupe-store-'))
  afterTest(async () => rmSync(dir, { recursive: true, force: true }))
  return dir
}
