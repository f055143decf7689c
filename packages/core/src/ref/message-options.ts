import { InvalidOptionError } from '../errors/errors.js'
import type { MessageOptions } from './actor-ref.js'

const PRIORITIES: ReadonlySet<unknown> = new Set(['high', 'normal', 'low'])
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/**
 * Checks the options of `ref.with(options)` when the view is made, so a typo or a wrong value
 * fails where it was written instead of being ignored (an unknown key) or failing on the first
 * ask. Unknown keys are refused for the same reason: `{ timeout: 5 }` would otherwise do nothing.
 */
export function checkMessageOptions(options: unknown): MessageOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new InvalidOptionError('options', 'an object { timeoutMs?, priority? }', options)
  for (const key of Object.keys(options)) {
    if (key !== 'timeoutMs' && key !== 'priority') throw new InvalidOptionError(key, 'a known option of ref.with (timeoutMs, priority)', (options as Record<string, unknown>)[key])
  }
  const { timeoutMs, priority } = options as Record<string, unknown>
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new InvalidOptionError('timeoutMs', `an integer from 1 to ${MAX_TIMEOUT_MS}`, timeoutMs)
  }
  if (priority !== undefined && !PRIORITIES.has(priority)) throw new InvalidOptionError('priority', "'high', 'normal' or 'low'", priority)
  return options as MessageOptions
}
