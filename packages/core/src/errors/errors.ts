/**
 * Every error troupe raises is a `TroupeError` with a stable `code`, so callers can branch on
 * `err.code` (or `instanceof`) even after the error has crossed a thread boundary.
 */
export abstract class TroupeError extends Error {
  abstract readonly code: string

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** An `ask` got no reply within its deadline. The actor may still process the message later. */
export class AskTimeoutError extends TroupeError {
  readonly code = 'ERR_ASK_TIMEOUT'
  constructor(
    readonly actor: string,
    readonly selector: string,
    readonly timeoutMs: number,
  ) {
    super(`ask ${selector} to ${actor} timed out after ${timeoutMs} ms`)
  }
}

/** No actor with this id or name exists (it never existed, or its record is gone). */
export class ActorNotFoundError extends TroupeError {
  readonly code = 'ERR_ACTOR_NOT_FOUND'
  constructor(readonly actor: string) {
    super(`actor ${actor} does not exist`)
  }
}

/** The actor stopped before it could process the message. */
export class ActorStoppedError extends TroupeError {
  readonly code = 'ERR_ACTOR_STOPPED'
  constructor(readonly actor: string) {
    super(`actor ${actor} is stopped`)
  }
}

/** Another live actor already has this name. */
export class ActorNameTakenError extends TroupeError {
  readonly code = 'ERR_ACTOR_NAME_TAKEN'
  constructor(readonly actorName: string) {
    super(`an actor named "${actorName}" already exists`)
  }
}

/** The actor could not be created: its module, export, constructor or `onStart` failed. */
export class SpawnError extends TroupeError {
  readonly code: string = 'ERR_SPAWN'
  constructor(
    readonly module: string,
    readonly exportName: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot spawn ${exportName} from ${module}: ${reason}`, options)
  }
}

/** The module is not on the system's allow-list of actor modules. Enforced by every host thread. */
export class ActorNotAllowedError extends SpawnError {
  override readonly code = 'ERR_ACTOR_NOT_ALLOWED'
  constructor(module: string, exportName: string) {
    super(module, exportName, 'the module is not in the `actors` allow-list of this system')
  }
}

/**
 * The actor did not start within the system's `spawnTimeoutMs` (its module's import, its
 * constructor or its `onStart` did not finish). If it starts later, it is stopped at once.
 */
export class SpawnTimeoutError extends SpawnError {
  override readonly code = 'ERR_SPAWN_TIMEOUT'
  constructor(
    module: string,
    exportName: string,
    readonly timeoutMs: number,
  ) {
    super(module, exportName, `it did not start within spawnTimeoutMs (${timeoutMs} ms): its module import, constructor or onStart did not finish`)
  }
}

/** A message (or reply) holds a value that cannot cross a thread: a function, symbol, cycle... */
export class MessageEncodeError extends TroupeError {
  readonly code = 'ERR_MESSAGE_ENCODE'
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`message cannot be encoded at ${path}: ${reason}`, options)
  }
}

/** The encoded message is larger than the system's `maxMessageBytes`. It was not sent. */
export class MessageTooLargeError extends TroupeError {
  readonly code = 'ERR_MESSAGE_TOO_LARGE'
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`message of ${size} bytes exceeds maxMessageBytes (${limit})`)
  }
}

/** The actor has no message handler with this name. */
export class UnknownMessageError extends TroupeError {
  readonly code = 'ERR_UNKNOWN_MESSAGE'
  constructor(
    readonly actor: string,
    readonly selector: string,
  ) {
    super(`actor ${actor} has no message handler "${selector}"`)
  }
}

/** The worker thread hosting the actor died (crash, exit, OOM, or terminated because it hung). */
export class WorkerCrashedError extends TroupeError {
  readonly code = 'ERR_WORKER_CRASHED'
  constructor(
    readonly thread: number,
    reason: string,
  ) {
    super(`worker ${thread} died: ${reason}`)
  }
}

/** The system is shutting down or has shut down. */
export class SystemShutdownError extends TroupeError {
  readonly code = 'ERR_SYSTEM_SHUTDOWN'
  constructor(what: string) {
    super(`${what}: the actor system is shut down`)
  }
}

/** An option has an invalid value. The message names the option and what is accepted. */
export class InvalidOptionError extends TroupeError {
  readonly code = 'ERR_INVALID_OPTION'
  constructor(
    readonly option: string,
    expected: string,
    received: unknown,
  ) {
    super(`option "${option}" must be ${expected}; received ${describeValue(received)}`)
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value)
  if (value === null || typeof value !== 'object') return String(value)
  try {
    return JSON.stringify(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** A supervisor gave up (restart intensity exceeded) or a failure escalated past the top. */
export class SupervisionError extends TroupeError {
  readonly code = 'ERR_SUPERVISION'
  constructor(
    readonly actor: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${actor}: ${reason}`, options)
  }
}

/** The offload pool's queue is full (`offload.maxQueue`). The task was not queued. */
export class OffloadQueueFullError extends TroupeError {
  readonly code = 'ERR_OFFLOAD_QUEUE_FULL'
  constructor(readonly maxQueue: number) {
    super(`the offload queue is full (maxQueue ${maxQueue})`)
  }
}

/** The task's module is not in `offload.tasks`, or the system has no offload pool. */
export class TaskNotAllowedError extends TroupeError {
  readonly code = 'ERR_TASK_NOT_ALLOWED'
  constructor(
    readonly module: string,
    readonly exportName: string,
    reason: string,
  ) {
    super(`cannot run task ${exportName} from ${module}: ${reason}`)
  }
}

/**
 * The task's module is allow-listed and was imported, but exports no function of that name
 * (a misspelled export name, or a name typed against another module).
 */
export class TaskNotFoundError extends TroupeError {
  readonly code = 'ERR_TASK_NOT_FOUND'
  constructor(
    readonly module: string,
    readonly exportName: string,
  ) {
    super(`task ${exportName} not found: ${module} exports no function of that name`)
  }
}

/**
 * An offloaded task ran past its `timeoutMs`. Its pool thread was terminated (so the task
 * really stopped) and replaced. Replaces the platform's bare `TimeoutError` DOMException, which
 * named neither the task nor the limit.
 */
export class OffloadTimeoutError extends TroupeError {
  readonly code = 'ERR_OFFLOAD_TIMEOUT'
  constructor(
    readonly module: string,
    readonly exportName: string,
    readonly timeoutMs: number,
  ) {
    super(`task ${exportName} from ${module} timed out after ${timeoutMs} ms`)
  }
}

/** The actor's bounded mailbox is full and its overflow policy dropped or refused the message. */
export class MailboxFullError extends TroupeError {
  readonly code = 'ERR_MAILBOX_FULL'
  constructor(readonly actor: string) {
    super(`the mailbox of ${actor} is full`)
  }
}

/** A handler did not settle within the actor's `handlerTimeoutMs`: a failure of the actor. */
export class HandlerTimeoutError extends TroupeError {
  readonly code = 'ERR_HANDLER_TIMEOUT'
  constructor(
    readonly actor: string,
    readonly selector: string,
    readonly timeoutMs: number,
  ) {
    super(`${actor} took longer than ${timeoutMs} ms handling ${selector}`)
  }
}

/** A message reached a router that has no routee to give it to. */
export class NoRouteeError extends TroupeError {
  readonly code = 'ERR_NO_ROUTEE'
  constructor(readonly router: string) {
    super(`router ${router} has no routee`)
  }
}

/** The actor did not stop (drain its mailbox and run `onStop`) within the system's `stopTimeoutMs`. It is forgotten anyway. */
export class StopTimeoutError extends TroupeError {
  readonly code = 'ERR_STOP_TIMEOUT'
  constructor(
    readonly actor: string,
    readonly timeoutMs: number,
  ) {
    super(`${actor} did not stop within stopTimeoutMs (${timeoutMs} ms); it is forgotten, and messages to it are dead letters`)
  }
}

/**
 * `shutdown()` did not finish within `shutdownTimeoutMs`: the workers were terminated without
 * waiting for the actors still stopping. The system is shut down all the same.
 */
export class ShutdownTimeoutError extends TroupeError {
  readonly code = 'ERR_SHUTDOWN_TIMEOUT'
  constructor(
    readonly timeoutMs: number,
    readonly actorsLeft: number,
  ) {
    super(`shutdown did not finish within shutdownTimeoutMs (${timeoutMs} ms); ${actorsLeft} actor(s) had not stopped, and their workers were terminated`)
  }
}

/**
 * A control call from a worker to the main thread (`ctx.spawn`, `ctx.lookup`, `ctx.watch`) got
 * no answer in time: the main thread is blocked or gone.
 */
export class ControlTimeoutError extends TroupeError {
  readonly code = 'ERR_CONTROL_TIMEOUT'
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation}: no answer from the main thread within ${timeoutMs} ms`)
  }
}
