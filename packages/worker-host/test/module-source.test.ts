import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { needsTypeScript, sourceModuleHref } from '../src/host/module-source.js'

const root = mkdtempSync(join(tmpdir(), 'troupe-module-source-'))
const touch = (path: string): void => {
  mkdirSync(join(root, path, '..'), { recursive: true })
  writeFileSync(join(root, path), '')
}
const href = (path: string): string => new URL(path, pathToFileURL(`${root}/`)).href
afterAll(() => rmSync(root, { recursive: true, force: true }))

touch('sources/counter.ts')
touch('sources/widget.tsx')
touch('sources/esm.mts')
touch('built/counter.js')
touch('built/counter.ts')
touch('built/counter.d.ts')
touch('ts-folder/deep/actor.ts')
touch('js-folder/actor.js')
touch('js-folder/actor.d.ts')
touch('js-folder/actor.test.ts')
touch('js-folder/node_modules/dep/index.ts')

describe('module URLs under tsx and compiled', () => {
  it('a .js URL whose file is absent names its TypeScript sibling, as tsx and tsc resolve imports', () => {
    expect(sourceModuleHref(href('sources/counter.js'))).toBe(href('sources/counter.ts'))
    expect(sourceModuleHref(href('sources/widget.js'))).toBe(href('sources/widget.tsx'))
    expect(sourceModuleHref(href('sources/esm.mjs'))).toBe(href('sources/esm.mts'))
  })

  it('an existing .js file, a missing module without a sibling, and non-file URLs are left alone', () => {
    expect(sourceModuleHref(href('built/counter.js'))).toBe(href('built/counter.js'))
    expect(sourceModuleHref(href('sources/absent.js'))).toBe(href('sources/absent.js'))
    expect(sourceModuleHref('troupe:router')).toBe('troupe:router')
    expect(sourceModuleHref(href('sources/counter.ts'))).toBe(href('sources/counter.ts'))
  })

  it("typescript 'auto' looks at module files and inside allow-listed folders", () => {
    expect(needsTypeScript([href('built/counter.js')])).toBe(false)
    expect(needsTypeScript([href('built/counter.js'), href('sources/counter.ts')])).toBe(true)
    expect(needsTypeScript([href('ts-folder/')])).toBe(true)
    // Declarations, tests and dependencies are not modules of the app.
    expect(needsTypeScript([href('js-folder/')])).toBe(false)
    expect(needsTypeScript([href('missing-folder/')])).toBe(false)
  })
})
