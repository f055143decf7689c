// One run of a workload at one worker count: a fresh system, setup, an untimed warm-up pass, the
// timed pass, checks after both, and a shutdown whatever happens. Returns operations per second.
import { ActorSystem } from '../system/actor-system.js'
import type { SystemEvent } from '../system/system-events.js'
import type { Workload, WorkloadContext } from './workload.js'

/** A run that failed: the message says which step of which workload at how many workers. */
export class WorkloadRunError extends Error {
  override readonly name = 'WorkloadRunError'
}

export interface RunOnceOptions {
  /** A run (setup, both passes, checks) that takes longer fails. */
  readonly timeoutMs: number
}

/** The figure of one run. */
export interface RunFigure {
  readonly operations: number
  readonly seconds: number
  readonly perSecond: number
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Any actor failure or worker crash fails the run: a throwing tell handler would otherwise only leave the pass hanging. */
function failureOf(event: SystemEvent): string | undefined {
  if (event.type === 'actor-failed') return `actor#${event.actor} failed: ${event.error.message}`
  if (event.type === 'worker-crashed') return `worker ${event.thread} crashed: ${event.reason}`
  if (event.type === 'fatal') return `the system gave up: ${event.error.message}`
  return undefined
}

async function step<T>(what: string, context: string, body: () => Promise<T> | T): Promise<T> {
  try {
    return await body()
  } catch (error) {
    throw new WorkloadRunError(`${context}: ${what} threw: ${describe(error)}`, { cause: error })
  }
}

async function pass<State>(workload: Workload<State>, state: State, context: WorkloadContext, label: string): Promise<RunFigure> {
  const started = performance.now()
  const operations = await step('run', label, () => workload.run(state, context))
  const seconds = (performance.now() - started) / 1000
  if (typeof operations !== 'number' || !Number.isFinite(operations) || operations <= 0) {
    throw new WorkloadRunError(`${label}: run must resolve with the number of operations it did (a positive number), got ${String(operations)}`)
  }
  if (workload.check !== undefined) {
    const check = workload.check.bind(workload)
    const verdict = await step('check', label, () => check(state, operations, context))
    if (verdict === false) throw new WorkloadRunError(`${label}: check returned false`)
  }
  return { operations, seconds, perSecond: operations / Math.max(seconds, 1e-9) }
}

/** Runs `workload` once on a fresh system of `workers` workers; the figure is the timed pass's. */
export async function runOnce<State>(workload: Workload<State>, workers: number, options: RunOnceOptions): Promise<RunFigure> {
  const label = `workload "${workload.name}" on ${workers} worker(s)`
  const system = await step('starting the system', label, () => ActorSystem.start({ ...workload.system, workers, actors: workload.actors }))
  let timer: NodeJS.Timeout | undefined
  let unsubscribe: () => void = () => undefined
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WorkloadRunError(`${label}: timed out after ${options.timeoutMs} ms`)), options.timeoutMs)
    unsubscribe = system.events.subscribe((event) => {
      const problem = failureOf(event)
      if (problem !== undefined) reject(new WorkloadRunError(`${label}: ${problem}`))
    })
  })
  failure.catch(() => undefined) // only meaningful while the body runs
  const body = async (): Promise<RunFigure> => {
    const setupContext: WorkloadContext = { system, workers, warmup: true }
    const state = await step('setup', label, () => workload.setup(setupContext))
    await pass(workload, state, setupContext, `${label} (warm-up pass)`)
    const timedContext: WorkloadContext = { system, workers, warmup: false }
    const figure = await pass(workload, state, timedContext, label)
    if (workload.teardown !== undefined) {
      const teardown = workload.teardown.bind(workload)
      await step('teardown', label, () => teardown(state, timedContext))
    }
    const dead = system.deadLetters.count
    if (dead > 0) throw new WorkloadRunError(`${label}: ${dead} dead letter(s) ${JSON.stringify(system.deadLetters.countsByReason)}: every message of a pass must be processed`)
    return figure
  }
  try {
    return await Promise.race([body(), failure])
  } finally {
    clearTimeout(timer)
    unsubscribe()
    // A failed run's error is the one to report; a shutdown failing after it would only hide it.
    await system.shutdown().catch(() => undefined)
  }
}
