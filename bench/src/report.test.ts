import { describe, expect, it } from 'vitest'
import { summarizeFigures } from './harness.js'
import { computeRatios } from './ratios.js'
import type { RatioDefinition } from './ratios.js'
import { ratiosTable } from './report.js'

const definitions: RatioDefinition[] = [
  { id: 'G', name: 'with a goal', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 0.95 } },
  { id: 'N', name: 'without a goal', numerator: 'a', denominator: 'b' },
]

describe('ratiosTable', () => {
  it('shows a goal as its operator and value, and a ratio without one with — and verdict reported', () => {
    const results = [summarizeFigures('a', 'msg/s', [1, 1, 1]), summarizeFigures('b', 'msg/s', [4, 4, 4])]
    const table = ratiosTable(computeRatios(definitions, results), definitions)
    const goal = table.headers.indexOf('goal')
    const verdict = table.headers.indexOf('verdict')
    expect(table.rows.map((row) => [row[0], row[goal], row[verdict]])).toEqual([
      ['G', '>= 0.950', 'NOT met'],
      ['N', '—', 'reported'],
    ])
  })
  it('shows a missing ratio without a goal as missing', () => {
    const table = ratiosTable(computeRatios(definitions, []), definitions)
    expect(table.rows[1]).toEqual(['N', 'a / b', 'missing', '', '0', '—', 'missing'])
  })
})
