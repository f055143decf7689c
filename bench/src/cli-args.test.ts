import { describe, expect, it } from 'vitest'
import { isSelected, parseCliArgs } from './cli-args.js'

describe('parseCliArgs', () => {
  it('accepts --quick and repeated or comma-separated --only', () => {
    expect(parseCliArgs(['--quick', '--only', 'a,b', '--only=c'])).toEqual({ quick: true, only: ['a', 'b', 'c'] })
    expect(parseCliArgs([])).toEqual({ quick: false, only: [] })
  })
  it('rejects unknown flags and a bare --only', () => {
    expect(() => parseCliArgs(['--fast'])).toThrow(/unknown argument/)
    expect(() => parseCliArgs(['--only'])).toThrow(/id prefix/)
  })
  it('selects by id prefix', () => {
    expect(isSelected('baseline.port.batched', ['baseline.port'])).toBe(true)
    expect(isSelected('ask.pipelined', ['baseline'])).toBe(false)
    expect(isSelected('anything', [])).toBe(true)
  })
})
