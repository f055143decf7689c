import type { Subscribable, SystemEvent } from 'troupe'

/**
 * The part of troupe's `system.events` the heartbeat monitor follows, as plain data. Events are
 * published on the main thread's `ActorSystem` only, and an actor cannot subscribe to them, so
 * the program that owns the system forwards them to the monitor as messages (`bridgeEvents`).
 */
export type ObservedEvent =
  | { readonly type: 'worker-hung'; readonly thread: number; readonly silentMs: number }
  | { readonly type: 'worker-crashed'; readonly thread: number; readonly reason: string }
  | { readonly type: 'worker-replaced'; readonly thread: number }
  | { readonly type: 'actor-failed'; readonly actor: number; readonly error: string; readonly code: string | undefined; readonly directive: string }
  | { readonly type: 'actor-restarted'; readonly actor: number; readonly restarts: number }

export function observed(event: SystemEvent): ObservedEvent | undefined {
  switch (event.type) {
    case 'worker-hung':
    case 'worker-crashed':
    case 'worker-replaced':
      return event
    case 'actor-restarted':
      return { type: event.type, actor: event.actor, restarts: event.restarts }
    case 'actor-failed': {
      const code = (event.error as { code?: unknown }).code
      return { type: event.type, actor: event.actor, error: event.error.message, code: typeof code === 'string' ? code : undefined, directive: event.directive }
    }
    default:
      return undefined
  }
}

/** Forwards what the monitor follows to it, until the returned function is called. */
export function bridgeEvents(events: Subscribable<SystemEvent>, deliver: (event: ObservedEvent) => void): () => void {
  return events.subscribe((event) => {
    const forwarded = observed(event)
    if (forwarded !== undefined) deliver(forwarded)
  })
}
