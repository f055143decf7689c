import diagnostics from 'node:diagnostics_channel'

/**
 * troupe's `diagnostics_channel` names, for tools of your own (Node's convention: the package
 * name as prefix). Subscribe with `diagnostics_channel.tracingChannel(name)` or `.channel(name)`.
 * Channels are per thread: a subscriber on the main thread sees the main thread's actors only;
 * subscribe in workers from a preload module (`execArgv: ['--import', …]`).
 */
export const TROUPE_CHANNELS = {
  /** TracingChannel: each message handler (start, end; asyncStart, asyncEnd when it returned a promise; error). */
  message: 'troupe:message',
  /** TracingChannel: `system.spawn` and `ctx.spawn` calls (start, end, asyncStart/asyncEnd for a promise, error). */
  spawn: 'troupe:spawn',
  /** TracingChannel: an actor restarted by its supervisor (start, then asyncStart/asyncEnd or error). */
  restart: 'troupe:restart',
  /** Channel (an event, not an operation): a dead letter, on the main thread, where they all end up. */
  deadLetter: 'troupe:dead-letter',
} as const

/** The context object of a `troupe:message` event (the same object for every event of one handler). */
export interface MessageHandlingContext {
  readonly thread: number
  readonly actor: number
  readonly actorType: string
  /** The method called, `'receive'`, or `'system'` for a stop, a death-watch signal or a continuation. */
  readonly selector: string
  /** The sending actor's id, 0 from outside an actor. */
  readonly sender: number
  readonly senderThread: number
  /** Set on the `error` event. */
  error?: unknown
}

/** The context object of a `troupe:spawn` event. */
export interface SpawnContext {
  /** The thread the spawn was called on. */
  readonly thread: number
  /** The spawning actor's id; 0 for `system.spawn`. */
  readonly parent: number
  /** The class's name (or a type reference's export name). */
  readonly actorType: string
  /** Set on `end` (a local spawn) or `asyncStart`: the new actor's ref. */
  result?: unknown
  error?: unknown
}

/** The context object of a `troupe:restart` event. */
export interface RestartContext {
  readonly thread: number
  readonly actor: number
  readonly actorType: string
  /** Why it restarts. */
  readonly cause: Error
  error?: unknown
}

export const messageChannel = diagnostics.tracingChannel<unknown, MessageHandlingContext>(TROUPE_CHANNELS.message)
export const spawnChannel = diagnostics.tracingChannel<unknown, SpawnContext>(TROUPE_CHANNELS.spawn)
export const restartChannel = diagnostics.tracingChannel<unknown, RestartContext>(TROUPE_CHANNELS.restart)
export const deadLetterChannel = diagnostics.channel(TROUPE_CHANNELS.deadLetter)
