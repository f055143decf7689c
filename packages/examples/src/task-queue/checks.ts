import type { Overlap } from './aggregator.js'
import { EXPECTED_FIRST_DISPATCHES, type ScriptedTask } from './script.js'
import type { Dispatch, Outcome, WorkerRow } from './types.js'

export interface Check {
  readonly id: 'one-outcome' | 'as-scripted' | 'priority' | 'deadlines' | 'backpressure' | 'work-stealing' | 'offload' | 'dead-letters'
  readonly passed: boolean
  /** One line for people: what was compared and what was found. */
  readonly detail: string
}

export interface Backpressure {
  readonly capacity: number
  /** Queue depth sampled by the run while the flood was submitted, as often as the master answered. */
  readonly samples: number
  readonly sampledMax: number
  /** The deepest queue the submitter's receipts reported (one per task). */
  readonly receiptMax: number
  /** The master's own high-water mark over the whole run. */
  readonly highWater: number
  /** Flood submits that had to wait for room. */
  readonly waited: number
}

export interface Observed {
  readonly script: readonly ScriptedTask[]
  readonly outcomes: readonly Outcome[]
  readonly conflicts: readonly string[]
  /** Tasks that started at least once on a worker. */
  readonly started: readonly string[]
  /** Phase 1: first attempts handed out after the blockers, in order. */
  readonly firstDispatches: readonly Dispatch[]
  readonly backpressure: Backpressure
  readonly longTask: Overlap | undefined
  readonly workers: readonly WorkerRow[]
  /** Tasks the offload pool completed, and the `cpu` attempts the script implies. */
  readonly offloaded: number
  readonly cpuAttempts: number
  readonly deadLetters: number
}

/** Compares what happened with what the script says must happen. */
export function checkTaskQueue(observed: Observed): Check[] {
  return [oneOutcome(observed), asScripted(observed), priority(observed), deadlines(observed), backpressure(observed.backpressure), workStealing(observed), offload(observed), deadLetters(observed)]
}

function oneOutcome({ script, outcomes, conflicts }: Observed): Check {
  const ids = new Set(outcomes.map((outcome) => outcome.id))
  const missing = script.filter(({ spec }) => !ids.has(spec.id)).map(({ spec }) => spec.id)
  const passed = missing.length === 0 && conflicts.length === 0 && outcomes.length === script.length
  return {
    id: 'one-outcome',
    passed,
    detail: passed
      ? `${script.length}/${script.length} tasks ended exactly once (done, failed or expired)`
      : `${outcomes.length} outcomes for ${script.length} tasks; missing: ${missing.join(', ') || 'none'}; reported twice: ${conflicts.join(', ') || 'none'}`,
  }
}

function asScripted({ script, outcomes }: Observed): Check {
  const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]))
  const wrong = script.filter(({ spec, expected, expectedAttempts }) => byId.get(spec.id)?.status !== expected || byId.get(spec.id)?.attempts !== expectedAttempts)
  const count = (status: string): number => script.filter((task) => task.expected === status).length
  return {
    id: 'as-scripted',
    passed: wrong.length === 0,
    detail:
      wrong.length === 0
        ? `status and attempts as scripted: ${count('done')} done, ${count('failed')} failed after retries, ${count('expired')} expired`
        : `not as scripted: ${wrong.map(({ spec }) => `${spec.id} (${byId.get(spec.id)?.status ?? 'no outcome'}, ${byId.get(spec.id)?.attempts ?? 0} attempts)`).join(', ')}`,
  }
}

function priority({ firstDispatches }: Observed): Check {
  const order = firstDispatches.map((dispatch) => dispatch.id)
  const inOrder = order.length === EXPECTED_FIRST_DISPATCHES.length && order.every((id, i) => id === EXPECTED_FIRST_DISPATCHES[i])
  const highs = firstDispatches.filter((dispatch) => dispatch.priority === 'high')
  const overtook = highs.every((dispatch) => dispatch.overtook > 0)
  return {
    id: 'priority',
    passed: inOrder && overtook && highs.length > 0,
    detail: `handed out ${order.join(' ')}${inOrder ? '' : ` (expected ${EXPECTED_FIRST_DISPATCHES.join(' ')})`}; each high task overtook ${highs.map((d) => d.overtook).join('/')} waiting lower-priority tasks`,
  }
}

function deadlines({ script, outcomes, started }: Observed): Check {
  const expired = outcomes.filter((outcome) => outcome.status === 'expired').map((outcome) => outcome.id)
  const ran = expired.filter((id) => started.includes(id))
  const expected = script.filter((task) => task.expected === 'expired').length
  return {
    id: 'deadlines',
    passed: ran.length === 0 && expired.length === expected,
    detail: `${expired.length} tasks expired (${expired.join(', ') || 'none'}), ${ran.length === 0 ? 'none of them ever started' : `but ${ran.join(', ')} started`}`,
  }
}

function backpressure(b: Backpressure): Check {
  const deepest = Math.max(b.sampledMax, b.receiptMax, b.highWater)
  return {
    id: 'backpressure',
    passed: deepest <= b.capacity && b.highWater === b.capacity && b.waited > 0 && b.samples > 0,
    detail: `queue depth never above ${b.capacity}: ${b.samples} samples up to ${b.sampledMax}, receipts up to ${b.receiptMax}, high-water ${b.highWater}; the submitter waited for room ${b.waited} times`,
  }
}

function workStealing({ longTask, workers }: Observed): Check {
  const idle = workers.filter((worker) => worker.done === 0).map((worker) => worker.label)
  if (longTask === undefined) return { id: 'work-stealing', passed: false, detail: 'the long task never started' }
  const label = workers.find((worker) => worker.worker === longTask.worker)?.label ?? `#${longTask.worker}`
  return {
    id: 'work-stealing',
    passed: longTask.startedOnItsWorker === 0 && longTask.finishedByOthers > 0 && idle.length === 0,
    detail: `while the long task ran on ${label}, the other workers finished ${longTask.finishedByOthers} attempts and ${label} was given ${longTask.startedOnItsWorker}; ${idle.length === 0 ? 'every worker did work' : `idle: ${idle.join(', ')}`}`,
  }
}

function offload({ offloaded, cpuAttempts }: Observed): Check {
  return { id: 'offload', passed: offloaded === cpuAttempts, detail: `the offload pool ran ${offloaded} tasks for ${cpuAttempts} cpu attempts` }
}

function deadLetters({ deadLetters: count }: Observed): Check {
  return { id: 'dead-letters', passed: count === 0, detail: `dead letters: ${count}` }
}
