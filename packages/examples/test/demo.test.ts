import { describe, expect, it } from 'vitest'
import { runDemo } from '../src/demo/run-demo.js'

describe('the demo', () => {
  it('streams across every worker and reconciles exactly', async () => {
    const lines: string[] = []
    const result = await runDemo({ seconds: 1.5, workers: 2, log: (line) => lines.push(line) })

    const passed = (id: string): boolean | undefined => result.checks.find((check) => check.id === id)?.passed
    expect(passed('streams')).toBe(true)
    expect(passed('ledger')).toBe(true)
    expect(passed('placement')).toBe(true)
    expect(passed('dead-letters')).toBe(true)
    expect(passed('actor-failures')).toBe(true)
    expect(result.values).toBeGreaterThan(0)
    expect(result.deadLetters).toBe(0)

    const workers = result.run.threads.filter((thread) => thread.kind === 'worker')
    expect(workers.map((worker) => worker.thread)).toEqual([1, 2])
    for (const worker of workers) expect(worker.processed).toBeGreaterThan(0)
    // Every value is one message on its consumer's worker; acknowledgements add a few more.
    expect(result.run.processed).toBeGreaterThanOrEqual(result.values)

    expect(lines.some((line) => line.startsWith('Summary:'))).toBe(true)
    expect(lines.at(-1)).toMatch(/^(PASS|FAIL)/)
  })
})
