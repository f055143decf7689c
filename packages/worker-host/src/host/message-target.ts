import type { ActorContext, Actor } from '@troupe/core'
import type { ActorRefImpl } from '@troupe/core/internal'

/** An actor instance as its cell calls it: message handlers by name, and the lifecycle hooks. */
export type MessageTarget = Actor & {
  receive?: (message: unknown, ctx: ActorContext) => unknown
  onStart?: () => unknown
  onStop?: () => unknown
  onRestart?: (cause: Error) => unknown
  onTerminated?: (actor: ActorRefImpl) => unknown
} & Record<string, unknown>

/** Whether a handler's or hook's result is a promise (then the cell waits for it). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}
