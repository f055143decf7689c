// `troupe bench` end to end: the CLI spawned as its own process with node, on real threads.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../../src/bench/cli.ts', import.meta.url))
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/bench/${name}`, import.meta.url))

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the CLI from source: tsx loads the TypeScript, the development condition resolves the workspace packages to src. */
function troupe(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--conditions=development', '--import', 'tsx', cli, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
      resolve({ code, stdout, stderr })
    })
  })
}

let out: string
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'troupe-bench-'))
})
afterAll(async () => {
  await rm(out, { recursive: true, force: true })
})

const quick = ['--pairs', '2', '--warmup', '0', '--workers', '1,2', '--no-progress']

// Each test starts node processes that start worker threads: generous on a loaded machine.
describe('troupe bench', { timeout: 90_000 }, () => {
  it('measures a workload on 1 and 2 workers, prints the table and writes JSON and SVG', async () => {
    const { code, stdout, stderr } = await troupe(['bench', fixture('counting.ts'), ...quick, '--out', out])
    expect(stderr).not.toMatch(/troupe bench: .*(failed|threw)/)
    expect(code).toBe(0)
    expect(stdout).toMatch(/workers\s+msg\/s\s+95% interval\s+speed-up\s+efficiency/)
    expect(stdout).toMatch(/\n1\s+.*base/)
    expect(stdout).toMatch(/\n2\s+.*(met|not met|undecided)/)

    const report = JSON.parse(await readFile(join(out, 'counting-tells.json'), 'utf8')) as Record<string, unknown>
    expect(Object.keys(report)).toEqual(['tool', 'workload', 'unit', 'date', 'settings', 'machine', 'rows', 'samples'])
    expect(report).toMatchObject({
      tool: 'troupe bench',
      workload: 'Counting tells',
      unit: 'msg/s',
      settings: { workerCounts: [1, 2], pairs: 2, warmupRounds: 0, goal: 0.85, confidence: 0.95, seed: 1 },
    })
    const machine = report.machine as Record<string, unknown>
    expect(Object.keys(machine)).toEqual(['node', 'cpus', 'availableParallelism', 'cpuModel', 'loadAverage', 'stealPercent', 'busyPercent', 'otherPercent', 'warnings'])
    const samples = report.samples as Record<string, number[]>
    expect(Object.keys(samples)).toEqual(['1', '2'])
    for (const figures of Object.values(samples)) {
      expect(figures).toHaveLength(2)
      for (const figure of figures) expect(figure).toBeGreaterThan(0)
    }
    const rows = report.rows as { workers: number; throughput: { interval: number[] }; speedup: unknown; efficiency: { verdict: string; samples: number } | null }[]
    expect(rows.map((row) => row.workers)).toEqual([1, 2])
    expect(rows[0]).toMatchObject({ speedup: null, efficiency: null })
    expect(rows[1]?.efficiency?.samples).toBe(2)
    expect(['met', 'not met', 'undecided']).toContain(rows[1]?.efficiency?.verdict)

    const svg = await readFile(join(out, 'counting-tells.svg'), 'utf8')
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('troupe bench — Counting tells')
  })

  it('names a missing export and lists the ones there are', async () => {
    const { code, stderr } = await troupe(['bench', fixture('broken.ts'), '--export', 'nope', ...quick, '--out', out])
    expect(code).toBe(2)
    expect(stderr).toContain('has no export named "nope" (its exports: failingActor, notAWorkload, throwing, wrongAnswer)')
  })

  it('names the missing field of an export that is not a complete workload', async () => {
    const { code, stderr } = await troupe(['bench', fixture('broken.ts'), '--export', 'notAWorkload', ...quick, '--out', out])
    expect(code).toBe(2)
    expect(stderr).toContain('export "notAWorkload": workload.run must be a function, got undefined')
  })

  it('reports a workload that throws, with the step and the worker count', async () => {
    const { code, stderr } = await troupe(['bench', fixture('broken.ts'), '--export', 'throwing', ...quick, '--out', out])
    expect(code).toBe(1)
    expect(stderr).toContain('workload "throwing" on 1 worker(s) (warm-up pass): run threw: the traffic generator broke')
  })

  it('reports a failed check and an actor that fails during the pass', async () => {
    const [wrong, failing] = await Promise.all([
      troupe(['bench', fixture('broken.ts'), '--export', 'wrongAnswer', ...quick, '--out', out]),
      troupe(['bench', fixture('broken.ts'), '--export', 'failingActor', ...quick, '--out', out]),
    ])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('workload "wrong answer" on 1 worker(s) (warm-up pass): check returned false')
    expect(failing.code).toBe(1)
    expect(failing.stderr).toMatch(/workload "failing actor" on 1 worker\(s\): actor#\d+ failed: tally exploded/)
  })

  it('refuses bad options and a module that does not exist, with usage', async () => {
    const badPairs = await troupe(['bench', fixture('counting.ts'), '--pairs', '0'])
    expect(badPairs.code).toBe(2)
    expect(badPairs.stderr).toContain('--pairs must be an integer >= 1, got "0"')
    expect(badPairs.stderr).toContain('usage: troupe bench <workload-module>')
    const missing = await troupe(['bench', fixture('no-such-workload.ts')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/cannot find the workload module .*no-such-workload\.ts/)
    const noCommand = await troupe(['bnech'])
    expect(noCommand.code).toBe(2)
    expect(noCommand.stderr).toContain('unknown command "bnech"')
  })
})
