/**
 * The return value of a handler that answers through `ctx.deferReply<T>()`.
 *
 * A ref's `ask` takes its reply type from the handler's declared return type, but a deferring
 * handler returns before it has the answer (troupe ignores what it returns). Declaring the real
 * reply type and returning this placeholder keeps `ref.ask.method()` typed as `Promise<T>`.
 */
export function replyLater<T>(): T {
  return undefined as T
}
