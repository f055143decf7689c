import { InvalidOptionError, type DurableMiddleware, type HandlerOptions, type JobPriority } from '@troupe/core'
import { checkKnownOptions } from '@troupe/core/internal'

/** Stream and handler names become parts of NATS subjects and JetStream names: a safe, short alphabet. */
export const DURABLE_NAME = /^[A-Za-z0-9_-]{1,64}$/

/** Where a handler's jobs run, once the overload of `handle` is known. */
export type ExecutionKind = 'actor' | 'entity' | 'offload' | 'process'

export interface ResolvedHandlerOptions {
  maxAttempts: number
  ackWaitMs: number
  pulse: boolean
  retryDelayMs: number[]
  maxAckPending: number
  maxJobs: number
  jobTimeoutMs: number
  priority: JobPriority
  nodeMaxJobs: number | undefined
  middlewares: DurableMiddleware<unknown>[]
}

export const DEFAULT_HANDLER_OPTIONS = {
  maxAttempts: 5,
  ackWaitMs: 30_000,
  pulse: true,
  retryDelayMs: [1000],
  maxAckPending: 1000,
  maxJobs: 16,
  jobTimeoutMs: 60_000,
  priority: 'normal',
} as const

const MAX_MS = 2 ** 31 - 1
const PRIORITIES: readonly JobPriority[] = ['high', 'normal', 'low']
const KNOWN = ['name', 'maxAttempts', 'ackWaitMs', 'pulse', 'retryDelayMs', 'maxAckPending', 'maxJobs', 'jobTimeoutMs', 'priority', 'nodeMaxJobs', 'middlewares', 'executeIn', 'key']

function integer(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value
  throw new InvalidOptionError(option, `an integer from ${min} to ${max}`, value)
}

function retryDelays(value: unknown): number[] {
  if (value === undefined) return [...DEFAULT_HANDLER_OPTIONS.retryDelayMs]
  if (typeof value === 'number') return [integer('retryDelayMs', value, 0, 0, MAX_MS)]
  if (!Array.isArray(value) || value.length === 0 || value.length > 100) throw new InvalidOptionError('retryDelayMs', 'a number of ms, or an array of 1 to 100 of them', value)
  return value.map((delay: unknown, i) => integer(`retryDelayMs[${i}]`, delay, 0, 0, MAX_MS))
}

function middlewares(value: unknown): DurableMiddleware<unknown>[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new InvalidOptionError('middlewares', 'an array of { before?(job), after?(job, outcome) }', value)
  return value.map((middleware: unknown, i) => {
    if (typeof middleware !== 'object' || middleware === null) throw new InvalidOptionError(`middlewares[${i}]`, 'an object { before?(job), after?(job, outcome) }', middleware)
    for (const hook of ['before', 'after'] as const) {
      const fn = (middleware as Record<string, unknown>)[hook]
      if (fn !== undefined && typeof fn !== 'function') throw new InvalidOptionError(`middlewares[${i}].${hook}`, 'a function', fn)
    }
    return middleware as DurableMiddleware<unknown>
  })
}

/** A handler's options, validated, with their defaults. `kind` says which of `executeIn` and `key` belong. */
export function resolveHandlerOptions(value: unknown, kind: ExecutionKind): ResolvedHandlerOptions {
  if (value === undefined) value = {}
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('options', 'an object of handler options', value)
  checkKnownOptions(value, KNOWN)
  const options = value as HandlerOptions<unknown> & { executeIn?: unknown; key?: unknown }
  const executeIn = options.executeIn
  if (kind === 'offload' || kind === 'process') {
    if (executeIn !== 'offload' && executeIn !== 'process') throw new InvalidOptionError('executeIn', "'offload' or 'process' for a task", executeIn)
  } else if (executeIn !== undefined && executeIn !== 'actor') {
    throw new InvalidOptionError('executeIn', "'actor' (or nothing) for an actor or entity type; 'offload' and 'process' take a task", executeIn)
  }
  if (kind === 'entity' && typeof options.key !== 'function') throw new InvalidOptionError('key', 'a function (event) => the entity key, for an entity type', options.key)
  if (kind !== 'entity' && options.key !== undefined) throw new InvalidOptionError('key', 'nothing: only entity handlers take a key', options.key)
  const pulse = options.pulse ?? DEFAULT_HANDLER_OPTIONS.pulse
  if (typeof pulse !== 'boolean') throw new InvalidOptionError('pulse', 'true or false', pulse)
  const priority = options.priority ?? DEFAULT_HANDLER_OPTIONS.priority
  if (!PRIORITIES.includes(priority)) throw new InvalidOptionError('priority', `one of ${PRIORITIES.join(', ')}`, priority)
  return {
    maxAttempts: integer('maxAttempts', options.maxAttempts, DEFAULT_HANDLER_OPTIONS.maxAttempts, 1, 1_000_000),
    // JetStream counts ack_wait in ns; below 100 ms a pulse cannot keep up with the network.
    ackWaitMs: integer('ackWaitMs', options.ackWaitMs, DEFAULT_HANDLER_OPTIONS.ackWaitMs, 100, MAX_MS),
    pulse,
    retryDelayMs: retryDelays(options.retryDelayMs),
    maxAckPending: integer('maxAckPending', options.maxAckPending, DEFAULT_HANDLER_OPTIONS.maxAckPending, 1, 1_000_000),
    maxJobs: integer('maxJobs', options.maxJobs, DEFAULT_HANDLER_OPTIONS.maxJobs, 1, 10_000),
    jobTimeoutMs: integer('jobTimeoutMs', options.jobTimeoutMs, DEFAULT_HANDLER_OPTIONS.jobTimeoutMs, 1, MAX_MS),
    priority,
    nodeMaxJobs: options.nodeMaxJobs === undefined ? undefined : integer('nodeMaxJobs', options.nodeMaxJobs, 0, 1, 1_000_000),
    middlewares: middlewares(options.middlewares),
  }
}

/** A stream or handler name, checked. */
export function checkDurableName(option: string, value: unknown): string {
  if (typeof value === 'string' && DURABLE_NAME.test(value)) return value
  throw new InvalidOptionError(option, '1 to 64 characters of A-Z a-z 0-9 _ -', value)
}

/** The delay before the retry that follows failed attempt `attempt` (from 1): the last value repeats. */
export function retryDelayAfter(delays: readonly number[], attempt: number): number {
  return delays[Math.min(attempt, delays.length) - 1]!
}
