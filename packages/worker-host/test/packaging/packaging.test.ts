// troupe as a user gets it: the packed tarball, installed alone into a fresh project outside the
// repository with npm and with pnpm, compiled by a strict tsc (skipLibCheck off) and run both
// compiled and under tsx. Then docs/getting-started.md, replayed block by block. One pack serves
// every case. Needs the npm registry (or a warm npm/pnpm cache) for the third-party packages.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readGuide, type Section } from './guide.js'
import { DEV_TOOLS, REPO_ROOT, bin, copyConsumer, emptyProject, install, packTroupe, run, succeed, type PackageManager } from './project.js'

let tarball: string
let disposePack: (() => void) | undefined

beforeAll(async () => {
  const packed = await packTroupe()
  tarball = packed.tarball
  disposePack = packed.dispose
}, 180_000)

afterAll(() => disposePack?.())

/** The README's first two code blocks (counter.ts, main.ts): the snippet a newcomer copies first. */
function readmeSnippet(): Map<string, string> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
  const files = new Map<string, string>()
  for (const match of readme.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const name = /^\/\/ (\S+\.ts)/.exec(match[1]!)?.[1]
    if (name === undefined || files.size === 2) break
    files.set(name, match[1]!)
  }
  return files
}

describe('the packed troupe package', () => {
  it('holds the compiled library, rolled-up typings per entry, README and LICENSE; no sources, maps, tests or workspace links', async () => {
    const listing = (await succeed('tar', ['-tzf', tarball], { cwd: tmpdir() })).trim().split('\n')
    expect(listing).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/LICENSE', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/worker/bootstrap.mjs', 'package/dist/core/index.js']))
    // One typings file per entry (`troupe`, `troupe/testkit`) and the declarations they share.
    expect(listing.filter((file) => /\.ts$/.test(file)).sort()).toEqual(['package/dist/index.d.ts', 'package/dist/shared-types.d.ts', 'package/dist/testkit/index.d.ts'])
    expect(listing.filter((file) => /\/src\/|\/test\/|\.map$|\.test\./.test(file))).toEqual([])
    const manifest = JSON.parse(await succeed('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: tmpdir() })) as Record<string, unknown>
    expect(JSON.stringify(manifest)).not.toMatch(/@troupe\/core|workspace:|troupe-source|development|"private"/)
    expect(manifest).toMatchObject({ name: 'troupe', type: 'module', license: 'MIT', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './testkit': { types: './dist/testkit/index.d.ts', default: './dist/testkit/index.js' } } })
    expect(manifest).toHaveProperty('repository')
    expect(manifest).toHaveProperty('keywords')
  })

  // The two package managers in parallel: mostly waiting on installs and child processes.
  describe.each<PackageManager>(['npm', 'pnpm'])('installed with %s into a fresh TypeScript project', (manager) => {
    it.concurrent('installs alone, type-checks strictly, and runs the README snippet and a full program compiled and under tsx', async () => {
      const project = emptyProject(`${manager}-consumer`)
      try {
        const { dir } = project
        await install(manager, dir, tarball)
        copyConsumer(dir)
        for (const [name, text] of readmeSnippet()) writeFileSync(join(dir, 'src', name), text)

        // Strict: skipLibCheck off, exactOptionalPropertyTypes. Only troupe's rolled-up typings
        // are in the program: no internal module, no comlink or piscina types.
        const files = await succeed(bin(dir, 'tsc'), ['-p', '.', '--listFilesOnly'], { cwd: dir })
        expect(files.split('\n').filter((file) => file.includes('node_modules/troupe')).map((file) => file.replace(/.*node_modules\/troupe\//, '')).sort()).toEqual(['dist/index.d.ts', 'dist/shared-types.d.ts', 'dist/testkit/index.d.ts'])
        expect(files).not.toMatch(/comlink|piscina|msgpackr/)
        await succeed(bin(dir, 'tsc'), ['-p', '.'], { cwd: dir })

        // The README's snippet, unchanged: `new URL('./counter.js', import.meta.url)` works both ways.
        await succeed(process.execPath, ['dist/main.js'], { cwd: dir })
        await succeed(bin(dir, 'tsx'), ['src/main.ts'], { cwd: dir })
        // A bundler or a user setting the `development` condition gets the same compiled files.
        await succeed(process.execPath, ['--conditions=development', 'dist/main.js'], { cwd: dir })

        const expected = {
          echo: 'hi',
          pool: 'routed',
          total: 5,
          entries: [2, 3],
          square: 49,
          missing: 'ERR_TASK_NOT_FOUND sqare',
          timeout: 'ERR_OFFLOAD_TIMEOUT spin 100',
        }
        expect(JSON.parse(await succeed(process.execPath, ['dist/checks.js'], { cwd: dir }))).toEqual(expected)
        expect(JSON.parse(await succeed(bin(dir, 'tsx'), ['src/checks.ts'], { cwd: dir }))).toEqual(expected)

        // troupe/testkit from the installed package: probes, manual time, seeds.
        const testkit = { hello: 'hello', now: 1000, passed: 3, replays: [4, 4, 4], failed: 7 }
        expect(JSON.parse(await succeed(process.execPath, ['dist/testkit-checks.js'], { cwd: dir }))).toEqual(testkit)
        expect(JSON.parse(await succeed(bin(dir, 'tsx'), ['src/testkit-checks.ts'], { cwd: dir }))).toEqual(testkit)

        // The package's `troupe bench` command, on the user's own workload (compiled): it runs on
        // 1 and 2 workers and writes the JSON and the SVG chart.
        const out = join(dir, 'bench-out')
        await succeed(bin(dir, 'troupe'), ['bench', 'dist/echo-workload.js', '--workers', '1,2', '--pairs', '3', '--warmup', '0', '--no-progress', '--out', out], { cwd: dir })
        const report = JSON.parse(readFileSync(join(out, 'echo.json'), 'utf8')) as { tool: string; workload: string; unit: string; rows: { workers: number; throughput: { median: number } }[] }
        expect(report).toMatchObject({ tool: 'troupe bench', workload: 'echo', unit: 'ask/s' })
        expect(report.rows.map((row) => row.workers)).toEqual([1, 2])
        for (const row of report.rows) expect(row.throughput.median).toBeGreaterThan(0)
        expect(readFileSync(join(out, 'echo.svg'), 'utf8')).toMatch(/^<svg|<svg /)
      } finally {
        project.dispose()
      }
    }, 240_000)
  })
})

describe('docs/getting-started.md, replayed in an empty folder', () => {
  const guide = readGuide(join(REPO_ROOT, 'docs/getting-started.md'))
  let dir: string
  let diagnostics: Promise<string> | undefined

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'troupe-guide-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Every file of the guide written, then one strict type-check of them all. */
  function typeErrors(): Promise<string> {
    diagnostics ??= (async () => {
      for (const block of guide.flatMap((section) => section.blocks)) {
        if (block.kind !== 'file') continue
        mkdirSync(dirname(join(dir, block.path)), { recursive: true })
        writeFileSync(join(dir, block.path), block.body)
      }
      const result = await run(bin(dir, 'tsc'), ['-p', '.', '--noEmit', '--pretty', 'false'], { cwd: dir })
      return result.stdout
    })()
    return diagnostics
  }

  it('has sections, each with code, and no file written twice', () => {
    expect(guide.length).toBeGreaterThan(5)
    const paths = guide.flatMap((section) => section.blocks.flatMap((block) => (block.kind === 'file' ? [block.path] : [])))
    expect(new Set(paths).size).toBe(paths.length)
  })

  for (const section of guide.filter((s) => s.blocks.length > 0)) {
    it(section.title, async () => {
      await replay(section)
    }, 180_000)
  }

  async function replay(section: Section): Promise<void> {
    const files = section.blocks.flatMap((block) => (block.kind === 'file' ? [block] : []))
    for (const file of files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true })
      writeFileSync(join(dir, file.path), file.body)
    }
    const sources = files.map((file) => file.path).filter((path) => path.endsWith('.ts'))
    if (sources.length > 0) {
      const errors = (await typeErrors()).split('\n').filter((line) => sources.some((file) => line.startsWith(`${file}(`)))
      // Soft: the section's commands still run, so a failure shows both what tsc and what the run say.
      expect.soft(errors, `type errors in this section's files`).toEqual([])
    }
    for (const block of section.blocks) {
      if (block.kind !== 'cmd') continue
      let stdout = ''
      for (const line of block.lines) stdout += await command(line, block.interruptAfter)
      if (block.output !== undefined) expect(normalise(stdout)).toBe(normalise(block.output))
    }
  }

  /** Runs one line of a `cmd` block as the reader would, with troupe from the tarball. */
  async function command(line: string, interruptAfter: string | undefined): Promise<string> {
    if (/^(mkdir|cd) /.test(line)) return '' // the test's folder is the reader's new folder
    const words = line.split(/\s+/)
    const [program, ...args] = words as [string, ...string[]]
    if (program === 'npm' && args[0] === 'install') {
      const packages = args.slice(1).filter((arg) => !arg.startsWith('-'))
      const flags = args.slice(1).filter((arg) => arg.startsWith('-'))
      const resolved = packages.map((name) => (name === 'troupe' ? tarball : (DEV_TOOLS.find((tool) => tool.startsWith(`${name}@`)) ?? name)))
      return succeed('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...flags, ...resolved], { cwd: dir })
    }
    const options = interruptAfter === undefined ? { cwd: dir } : { cwd: dir, interruptAfter }
    if (program === 'npx') {
      if (!existsSync(bin(dir, args[0]!))) throw new Error(`npx ${args[0]}: not installed by the guide's earlier steps`)
      return succeed(bin(dir, args[0]!), args.slice(1), options)
    }
    if (program === 'node') return succeed(process.execPath, args, options)
    if (program === 'npm') return succeed('npm', args, options)
    throw new Error(`the guide runs "${line}", which its test does not know how to run`)
  }
})

function normalise(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim()
}
