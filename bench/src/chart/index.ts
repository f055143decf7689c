// bench/results/latest.svg: the chart of a suite report (spec.ts builds it, render.ts draws it).
import type { RatioDefinition } from '../ratios.js'
import type { SuiteReport } from '../results-file.js'
import { renderSvg } from './render.js'
import { chartSpec } from './spec.js'

export async function chartSvg(report: SuiteReport, definitions: readonly RatioDefinition[]): Promise<string> {
  return renderSvg(chartSpec(report, definitions))
}
