import { InvalidOptionError } from '../errors/errors.js'

/** What a supervisor does with a failed child (Akka's directives). */
export type Directive = 'resume' | 'restart' | 'stop' | 'escalate'

/** When a child is restarted (OTP's restart types). */
export type RestartType =
  /** Always restarted: after a failure, and after it stops itself. */
  | 'permanent'
  /** Restarted after a failure only (the default). */
  | 'transient'
  /** Never restarted: a failure stops it. */
  | 'temporary'

/** Which children a restart affects (OTP's strategies). */
export type SupervisionStrategy =
  /** Only the failed child. */
  | 'one-for-one'
  /** Every child of the supervisor. */
  | 'one-for-all'
  /** The failed child and the children started after it. */
  | 'rest-for-one'

/** Exponential backoff between restarts (Akka's `restartWithBackoff`). */
export interface BackoffOptions {
  /** Delay before the first restart, in ms. */
  readonly minMs: number
  /** Largest delay, in ms. */
  readonly maxMs: number
  /** Random spread, 0..1: each delay is multiplied by a factor in [1 - jitter, 1 + jitter]. Default 0.2. */
  readonly jitter?: number
  /** A child that runs this long without failing starts again from `minMs`. Default `maxMs`. */
  readonly resetAfterMs?: number
}

/** How an actor (or the system guardian) supervises its children. */
export interface SupervisionOptions {
  /** Default `'one-for-one'`. */
  readonly strategy?: SupervisionStrategy
  /** Restart intensity, as in OTP: more than `maxRestarts` restarts within `withinMs` and the supervisor gives up. Default 3. */
  readonly maxRestarts?: number
  /** Default 5000. */
  readonly withinMs?: number
  /** Delay restarts exponentially. Default: restart at once. */
  readonly backoff?: BackoffOptions
  /**
   * The directive for a failure, looked up by the error's `code`, then its `name`, then
   * `default`. Plain data, so it can cross threads. Default: `{ default: 'restart' }`.
   */
  readonly decider?: Readonly<Record<string, Directive>>
}

export interface ResolvedSupervision {
  strategy: SupervisionStrategy
  maxRestarts: number
  withinMs: number
  backoff: { minMs: number; maxMs: number; jitter: number; resetAfterMs: number } | undefined
  decider: Record<string, Directive>
}

const STRATEGIES: readonly SupervisionStrategy[] = ['one-for-one', 'one-for-all', 'rest-for-one']
const DIRECTIVES: readonly Directive[] = ['resume', 'restart', 'stop', 'escalate']
const RESTART_TYPES: readonly RestartType[] = ['permanent', 'transient', 'temporary']

function integerIn(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value
  throw new InvalidOptionError(option, `an integer from ${min} to ${max}`, value)
}

export function resolveSupervision(options: unknown, option = 'supervision'): ResolvedSupervision {
  if (options === undefined) options = {}
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(option, 'an object', options)
  const { strategy = 'one-for-one', maxRestarts, withinMs, backoff, decider } = options as SupervisionOptions
  if (!STRATEGIES.includes(strategy)) throw new InvalidOptionError(`${option}.strategy`, `one of ${STRATEGIES.join(', ')}`, strategy)
  return {
    strategy,
    maxRestarts: integerIn(`${option}.maxRestarts`, maxRestarts, 3, 0, 1_000_000),
    withinMs: integerIn(`${option}.withinMs`, withinMs, 5_000, 1, 2 ** 31 - 1),
    backoff: backoff === undefined ? undefined : resolveBackoff(backoff, `${option}.backoff`),
    decider: resolveDecider(decider, `${option}.decider`),
  }
}

function resolveBackoff(backoff: unknown, option: string): NonNullable<ResolvedSupervision['backoff']> {
  if (typeof backoff !== 'object' || backoff === null) throw new InvalidOptionError(option, 'an object { minMs, maxMs, jitter?, resetAfterMs? }', backoff)
  const { minMs, maxMs, jitter = 0.2, resetAfterMs } = backoff as BackoffOptions
  const min = integerIn(`${option}.minMs`, minMs, Number.NaN, 0, 2 ** 31 - 1)
  const max = integerIn(`${option}.maxMs`, maxMs, Number.NaN, 0, 2 ** 31 - 1)
  if (Number.isNaN(min)) throw new InvalidOptionError(`${option}.minMs`, 'an integer from 0 to 2147483647', minMs)
  if (Number.isNaN(max) || max < min) throw new InvalidOptionError(`${option}.maxMs`, `an integer from minMs (${min}) to 2147483647`, maxMs)
  if (!(typeof jitter === 'number' && jitter >= 0 && jitter <= 1)) throw new InvalidOptionError(`${option}.jitter`, 'a number from 0 to 1', jitter)
  return { minMs: min, maxMs: max, jitter, resetAfterMs: integerIn(`${option}.resetAfterMs`, resetAfterMs, Math.max(max, 1), 1, 2 ** 31 - 1) }
}

function resolveDecider(decider: unknown, option: string): Record<string, Directive> {
  if (decider === undefined) return { default: 'restart' }
  if (typeof decider !== 'object' || decider === null) throw new InvalidOptionError(option, 'an object mapping error codes or names to directives', decider)
  const resolved: Record<string, Directive> = { default: 'restart' }
  for (const [key, directive] of Object.entries(decider)) {
    if (!DIRECTIVES.includes(directive as Directive)) throw new InvalidOptionError(`${option}.${key}`, `one of ${DIRECTIVES.join(', ')}`, directive)
    resolved[key] = directive as Directive
  }
  return resolved
}

export function resolveRestartType(value: unknown): RestartType {
  if (value === undefined) return 'transient'
  if (RESTART_TYPES.includes(value as RestartType)) return value as RestartType
  throw new InvalidOptionError('restart', `one of ${RESTART_TYPES.join(', ')}`, value)
}

/** The directive for `error`: by its `code`, then its `name`, then the decider's default. */
export function decide(decider: Readonly<Record<string, Directive>>, error: { code?: unknown; name?: unknown }): Directive {
  if (typeof error.code === 'string' && decider[error.code]) return decider[error.code]!
  if (typeof error.name === 'string' && decider[error.name]) return decider[error.name]!
  return decider.default ?? 'restart'
}
