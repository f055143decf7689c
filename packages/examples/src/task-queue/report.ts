import type { Overlap } from './aggregator.js'
import type { Backpressure, Check } from './checks.js'
import type { ScriptedTask } from './script.js'
import type { Dispatch, Outcome, Totals, WorkerRow } from './types.js'

/** Phase 1's script, as submitted. */
export function scriptLines(script: readonly ScriptedTask[]): string[] {
  return [
    'Phase 1: priorities, deadlines and retries. Submitted in this order, in one burst:',
    ...script.map(({ spec, expected, note }) => {
      const cost = spec.kind === 'cpu' ? `cpu ${spec.cost} units` : `io ${spec.cost} ms`
      return `  ${spec.id.padEnd(3)} ${spec.priority.padEnd(6)} ${cost.padEnd(13)} → ${expected.padEnd(7)} ${note ?? ''}`.trimEnd()
    }),
  ]
}

/** What phase 1 showed: the order tasks were handed out, what expired, how retries went. */
export function phaseOneLines(firstDispatches: readonly Dispatch[], outcomes: readonly Outcome[]): string[] {
  const highs = firstDispatches.filter((dispatch) => dispatch.priority === 'high')
  const expired = outcomes.filter((outcome) => outcome.status === 'expired')
  const retried = outcomes.filter((outcome) => outcome.attempts > 1)
  return [
    `once the blockers finished, the waiting tasks were handed out in this order: ${firstDispatches.map((d) => d.id).join(' ')}`,
    `  high tasks first, though submitted last: ${highs.map((d) => `${d.id} overtook ${d.overtook}`).join(', ')} waiting lower-priority tasks`,
    ...expired.map((outcome) => `  ${outcome.id} expired, never run: ${outcome.reason ?? ''}`),
    ...retried.map((outcome) => `  ${outcome.id} ${outcome.status} after ${outcome.attempts} attempts${outcome.status === 'failed' ? `, last error: ${outcome.reason ?? 'unknown'}` : ''}`),
  ]
}

/** What the flood showed: a bounded queue, and uneven work spread over whichever worker was free. */
export function floodLines(b: Backpressure, longTask: Overlap | undefined, workers: readonly WorkerRow[]): string[] {
  const label = (worker: number): string => workers.find((row) => row.worker === worker)?.label ?? `#${worker}`
  return [
    `backpressure: the queue never held more than ${b.capacity}: ${b.samples} samples up to ${b.sampledMax}, receipts up to ${b.receiptMax}, high-water ${b.highWater}`,
    longTask === undefined
      ? 'work stealing: the long task never started'
      : `work stealing: while the long task held ${label(longTask.worker)}, the other workers finished ${longTask.finishedByOthers} attempts and ${label(longTask.worker)} was given ${longTask.startedOnItsWorker}`,
    `tasks done per worker: ${workers.map((row) => `${row.label} ${row.done}`).join(', ')} (uneven costs, so uneven counts)`,
  ]
}

export function summaryLines(totals: Totals, retried: number, checks: readonly Check[], seconds: number): string[] {
  const failed = checks.filter((check) => !check.passed).length
  return [
    '',
    `Outcomes: ${totals.settled} tasks: ${totals.done} done, ${totals.failed} failed, ${totals.expired} expired; ${retried} ${retried === 1 ? 'retry' : 'retries'}`,
    'Checks',
    ...checks.map((check) => `  ${check.passed ? 'ok  ' : 'FAIL'}  ${check.id.padEnd(14)} ${check.detail}`),
    failed === 0 ? `PASS: all ${checks.length} checks, ${seconds.toFixed(1)} s` : `FAIL: ${failed} of ${checks.length} checks failed, ${seconds.toFixed(1)} s`,
  ]
}
