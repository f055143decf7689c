import type { TracingChannel } from 'node:diagnostics_channel'
import { isThenable } from '../host/message-target.js'

/**
 * Runs `operation` as one traced operation of `channel` (Node's TracingChannel events): `start`
 * and `end` around the call; when it returns a promise, `asyncStart` and `asyncEnd` once that
 * settles; `error` when it throws or rejects. `result` and `error` are set on `context`. The
 * caller checks `channel.hasSubscribers` first, so nothing is built when nobody listens.
 */
export function traceOperation<T, C extends { result?: unknown; error?: unknown }>(channel: TracingChannel<unknown, C>, context: C, operation: () => T): T {
  channel.start.publish(context)
  let value: T
  try {
    value = operation()
  } catch (error) {
    context.error = error
    channel.error.publish(context)
    throw error
  } finally {
    channel.end.publish(context)
  }
  if (!isThenable(value)) {
    context.result = value
    return value
  }
  const settled = (value as PromiseLike<unknown>).then(
    (result) => {
      context.result = result
      channel.asyncStart.publish(context)
      channel.asyncEnd.publish(context)
      return result
    },
    (error: unknown) => {
      context.error = error
      channel.error.publish(context)
      channel.asyncStart.publish(context)
      channel.asyncEnd.publish(context)
      throw error
    },
  )
  return settled as T
}

/** How a spawn's `type` argument is named in events: a class's name, or a type reference's export. */
export function spawnTypeName(type: unknown): string {
  if (typeof type === 'function') return type.name || 'anonymous'
  const exported = (type as { export?: unknown } | null)?.export
  return typeof exported === 'string' ? exported : 'unknown'
}
