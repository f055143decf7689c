import { describe, expect, it } from 'vitest'
import { runAirDisplay } from '../src/airdisplay/run.js'

describe('airdisplay (the scripted run of `pnpm example airdisplay`)', () => {
  it('posts, refuses an overwrite, settles a race, refuses bad requests, expires by reminder and tells the feed', async () => {
    const lines: string[] = []
    const result = await runAirDisplay({ log: (line) => lines.push(line) })
    expect(result.checks.filter((check) => !check.passed)).toEqual([])
    expect(result.checks.map((check) => check.id)).toEqual(['post', 'no-overwrite', 'race', 'validation', 'expiry', 'feed', 'repost'])
    expect(result.ok).toBe(true)
    expect(lines.at(-1)).toBe('PASS: all 7 checks')
  })
})
