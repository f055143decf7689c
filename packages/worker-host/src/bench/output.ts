// Writes a scaling report as <out>/<name>.json and <out>/<name>.svg.
import { mkdir, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ScalingReport } from './scaling-report.js'
import { scalingSvg } from './svg.js'

/** A file name from a workload name: lower case, runs of anything else as one dash. */
export function fileStem(name: string): string {
  const stem = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return stem === '' ? 'workload' : stem
}

export function reportJson(report: ScalingReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** Returns the paths written. */
export async function writeScalingReport(report: ScalingReport, outDirectory: string): Promise<string[]> {
  const directory = resolve(outDirectory)
  await mkdir(directory, { recursive: true })
  const stem = fileStem(report.workload)
  const json = resolve(directory, `${stem}.json`)
  const svg = resolve(directory, `${stem}.svg`)
  await writeFile(json, reportJson(report))
  await writeFile(svg, scalingSvg(report))
  return [json, svg]
}
