// defineWorkload: what a user hands to `troupe bench`. A workload spawns its actors on a fresh
// system, sends one pass of traffic, and checks the answer; the harness runs it on 1..N workers.
import type { ActorSystemOptions } from '@troupe/core'
import type { ActorSystem } from '../system/actor-system.js'

/** What every step of a workload is given. */
export interface WorkloadContext {
  /** A fresh system for this run, with `workers` workers and the workload's allow-list. */
  readonly system: ActorSystem
  /** The worker count being measured (the k of the scaling table). */
  readonly workers: number
  /** True during the untimed warm-up pass that precedes each timed pass. */
  readonly warmup: boolean
}

export interface WorkloadDefinition<State> {
  /** Shown in the table and the chart, and names the output files. */
  readonly name: string
  /** What one operation is, e.g. `msg`, `order`; figures are printed as `<unit>/s`. Default `ops`. */
  readonly unit?: string
  /** The allow-list of every system the harness starts (`ActorSystemOptions.actors`). */
  readonly actors: ActorSystemOptions['actors']
  /** Further options for every system (supervision, timeouts...); `workers` is the harness's. */
  readonly system?: Omit<ActorSystemOptions, 'actors' | 'workers'>
  /** Spawns and wires the actors of one run. Untimed. Runs once per run, on a fresh system. */
  setup(context: WorkloadContext): Promise<State> | State
  /**
   * Sends one pass of traffic and resolves once it has all been processed, with the number of
   * operations done (messages, requests...). Only this step is timed. It runs twice per run: an
   * untimed warm-up pass, then the timed one, so it must be repeatable on the same state.
   */
  run(state: State, context: WorkloadContext): Promise<number> | number
  /**
   * Checks the answer after each pass, so a fast wrong run cannot report a figure. Throw, or
   * return false, to fail the run. `operations` is what `run` resolved with.
   */
  check?(state: State, operations: number, context: WorkloadContext): Promise<boolean | void> | boolean | void
  /** Untimed clean-up before the system shuts down (the harness always shuts it down). */
  teardown?(state: State, context: WorkloadContext): Promise<void> | void
}

/** Marks a definition that went through `defineWorkload` (a registered symbol: survives two copies of the package). */
export const workloadBrand: unique symbol = Symbol.for('troupe.bench.workload')

/** A validated workload definition, as returned by `defineWorkload`. */
export type Workload<State = unknown> = WorkloadDefinition<State> & { readonly [workloadBrand]: true }

/** Thrown for a workload definition that cannot run; the message names the field. */
export class WorkloadDefinitionError extends Error {
  override readonly name = 'WorkloadDefinitionError'
}

function requireFunction(definition: object, field: string, required: boolean): void {
  const value: unknown = (definition as Record<string, unknown>)[field]
  if (value === undefined && !required) return
  if (typeof value !== 'function') throw new WorkloadDefinitionError(`workload.${field} must be a function, got ${typeof value}`)
}

/** Checks a value that should be a workload definition; returns it typed, or throws naming the problem. */
export function validateWorkload(value: unknown): Workload {
  if (value === null || typeof value !== 'object') throw new WorkloadDefinitionError(`a workload must be an object (use defineWorkload), got ${value === null ? 'null' : typeof value}`)
  const definition = value as Record<string, unknown>
  if (typeof definition.name !== 'string' || definition.name.trim() === '') throw new WorkloadDefinitionError('workload.name must be a non-empty string')
  if (definition.unit !== undefined && (typeof definition.unit !== 'string' || definition.unit.trim() === '')) {
    throw new WorkloadDefinitionError('workload.unit must be a non-empty string when given')
  }
  if (!Array.isArray(definition.actors)) throw new WorkloadDefinitionError('workload.actors must be an array of actor module URLs (the allow-list)')
  if (definition.system !== undefined && (definition.system === null || typeof definition.system !== 'object')) {
    throw new WorkloadDefinitionError('workload.system must be an object of ActorSystemOptions when given')
  }
  requireFunction(definition, 'setup', true)
  requireFunction(definition, 'run', true)
  requireFunction(definition, 'check', false)
  requireFunction(definition, 'teardown', false)
  return { ...(definition as unknown as WorkloadDefinition<unknown>), [workloadBrand]: true }
}

/**
 * Declares a workload for `troupe bench` (or `benchWorkload`). The state returned by `setup` is
 * what `run`, `check` and `teardown` receive, typed end to end:
 *
 * ```ts
 * export default defineWorkload({
 *   name: 'counter',
 *   actors: [new URL('./counter.js', import.meta.url)],
 *   setup: async ({ system, workers }) => Promise.all(Array.from({ length: workers }, (_, worker) => system.spawn(Counter, { placement: { worker } }))),
 *   run: async (counters) => { ...; return operations },
 *   check: async (counters, operations) => ...,
 * })
 * ```
 */
export function defineWorkload<State>(definition: WorkloadDefinition<State>): Workload<State> {
  return validateWorkload(definition) as Workload<State>
}

/** Whether a module's export is a workload made by `defineWorkload`. */
export function isWorkload(value: unknown): value is Workload {
  return value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[workloadBrand] === true
}
