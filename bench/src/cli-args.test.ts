import { describe, expect, it } from 'vitest'
import { parseCliArgs } from './cli-args.js'

describe('parseCliArgs', () => {
  it('accepts --quick and repeated or comma-separated --only', () => {
    expect(parseCliArgs(['--quick', '--only', 'a,b', '--only=c'])).toEqual({ quick: true, only: ['a', 'b', 'c'], pairs: undefined, runs: undefined, pin: undefined })
    expect(parseCliArgs([])).toEqual({ quick: false, only: [], pairs: undefined, runs: undefined, pin: undefined })
  })
  it('accepts --pairs, --runs and --pin', () => {
    expect(parseCliArgs(['--only', 'P1a', '--pairs', '30', '--runs=2', '--pin', '0-1'])).toMatchObject({ only: ['P1a'], pairs: 30, runs: 2, pin: '0-1' })
  })
  it('rejects unknown flags, a bare --only, and bad counts or CPU lists', () => {
    expect(() => parseCliArgs(['--fast'])).toThrow(/unknown argument/)
    expect(() => parseCliArgs(['--only'])).toThrow(/id prefix/)
    expect(() => parseCliArgs(['--pairs', '0'])).toThrow('--pairs needs a positive integer, got "0"')
    expect(() => parseCliArgs(['--runs'])).toThrow('--runs needs a positive integer, got nothing')
    expect(() => parseCliArgs(['--pin', 'all'])).toThrow(/--pin needs a CPU list/)
  })
})
