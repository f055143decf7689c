import { describe, expect, it } from 'vitest'
import { measure } from './harness.js'

describe('measure', () => {
  it('discards warm-up runs and summarizes the rest, one run at a time', async () => {
    const figures = [1000, 5, 1, 3]
    let active = 0
    const lines: string[] = []
    const result = await measure(
      'x',
      'msg/s',
      async () => {
        active++
        expect(active).toBe(1)
        await new Promise((resolve) => setTimeout(resolve, 1))
        active--
        return figures.shift() ?? Number.NaN
      },
      { runs: 3, warmup: 1, progress: (line) => lines.push(line) },
    )
    expect(result).toEqual({ id: 'x', unit: 'msg/s', median: 3, min: 1, max: 5, runs: 3 })
    expect(lines).toHaveLength(4)
  })
  it('rejects a non-finite figure', async () => {
    await expect(measure('x', 'us', async () => Number.NaN, { runs: 1, warmup: 0, progress: () => undefined })).rejects.toThrow(/non-finite/)
  })
})
