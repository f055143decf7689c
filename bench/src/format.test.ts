import { describe, expect, it } from 'vitest'
import { formatFigure, withSiPrefix } from './format.js'

describe('formatFigure', () => {
  it('scales rates with SI prefixes to three significant digits', () => {
    expect(formatFigure(6_712_345, 'msg/s')).toBe('6.71 M msg/s')
    expect(formatFigure(181_234, 'calls/s')).toBe('181 k calls/s')
    expect(formatFigure(512, 'msg/s')).toBe('512 msg/s')
  })
  it('prints microseconds as µs', () => {
    expect(formatFigure(24.123, 'us')).toBe('24.1 µs')
  })
  it('formats ratios plainly and absolute goals with a prefix', () => {
    expect(withSiPrefix(1.2345)).toBe('1.23')
    expect(withSiPrefix(20e6)).toBe('20.0 M')
    expect(withSiPrefix(0.5)).toBe('0.500')
  })
})
