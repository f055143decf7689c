import {
  ActorNameTakenError,
  ActorNotAllowedError,
  ActorNotFoundError,
  ActorStoppedError,
  AskTimeoutError,
  ControlTimeoutError,
  HandlerTimeoutError,
  InvalidOptionError,
  MailboxFullError,
  MessageEncodeError,
  MessageTooLargeError,
  NoRouteeError,
  SpawnError,
  SpawnTimeoutError,
  ShutdownTimeoutError,
  StopTimeoutError,
  OffloadQueueFullError,
  SupervisionError,
  SystemShutdownError,
  TaskNotAllowedError,
  TaskNotFoundError,
  OffloadTimeoutError,
  UnknownMessageError,
  WorkerCrashedError,
} from './errors.js'
import { StateEncodeError, StoreConflictError, StoreError } from './persistence-errors.js'
import { ClusterError, NodeDownError } from './cluster-errors.js'

/** How an error travels between threads: plain data, reconstructed on the other side. */
export interface WireError {
  name: string
  message: string
  stack: string | undefined
  code: string | undefined
  cause: WireError | undefined
  /** Own enumerable primitive fields (e.g. `module`, `thread`), so typed errors keep their data. */
  data: Record<string, string | number | boolean | null> | undefined
  /** The error's class name, which a `registerErrorClass` registration is matched by. */
  className?: string
}

type ErrorClass = abstract new (...args: never[]) => Error
const CLASSES_BY_CODE = new Map<string, ErrorClass>([
  ['ERR_ASK_TIMEOUT', AskTimeoutError],
  ['ERR_ACTOR_NOT_FOUND', ActorNotFoundError],
  ['ERR_ACTOR_STOPPED', ActorStoppedError],
  ['ERR_ACTOR_NAME_TAKEN', ActorNameTakenError],
  ['ERR_SPAWN', SpawnError],
  ['ERR_ACTOR_NOT_ALLOWED', ActorNotAllowedError],
  ['ERR_MESSAGE_ENCODE', MessageEncodeError],
  ['ERR_MESSAGE_TOO_LARGE', MessageTooLargeError],
  ['ERR_UNKNOWN_MESSAGE', UnknownMessageError],
  ['ERR_WORKER_CRASHED', WorkerCrashedError],
  ['ERR_SYSTEM_SHUTDOWN', SystemShutdownError],
  ['ERR_INVALID_OPTION', InvalidOptionError],
  ['ERR_SUPERVISION', SupervisionError],
  ['ERR_OFFLOAD_QUEUE_FULL', OffloadQueueFullError],
  ['ERR_TASK_NOT_ALLOWED', TaskNotAllowedError],
  ['ERR_TASK_NOT_FOUND', TaskNotFoundError],
  ['ERR_OFFLOAD_TIMEOUT', OffloadTimeoutError],
  ['ERR_MAILBOX_FULL', MailboxFullError],
  ['ERR_HANDLER_TIMEOUT', HandlerTimeoutError],
  ['ERR_NO_ROUTEE', NoRouteeError],
  ['ERR_SPAWN_TIMEOUT', SpawnTimeoutError],
  ['ERR_STOP_TIMEOUT', StopTimeoutError],
  ['ERR_SHUTDOWN_TIMEOUT', ShutdownTimeoutError],
  ['ERR_CONTROL_TIMEOUT', ControlTimeoutError],
  ['ERR_STORE_CONFLICT', StoreConflictError],
  ['ERR_STATE_ENCODE', StateEncodeError],
  ['ERR_STORE', StoreError],
  ['ERR_CLUSTER', ClusterError],
  ['ERR_NODE_DOWN', NodeDownError],
])

/** Built-in error classes are rebuilt by name, as structured clone does. */
const BUILT_IN_BY_NAME = new Map<string, ErrorClass>([
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
])

/** Application error classes registered with `registerErrorClass`, by their name. */
const REGISTERED_BY_NAME = new Map<string, ErrorClass>()

/**
 * Makes errors of this class cross threads as this class (`instanceof` works on the receiving
 * side), matched by its class name (so two registered classes must not share one). Call it in the module that defines the class, next to it, so
 * every thread that loads the module (actor modules importing it, the main program) knows it.
 * A thread that never loaded the module gets an `Error` with the same name, message, stack,
 * `code` and data. The class is rebuilt without running its constructor.
 */
export function registerErrorClass(errorClass: abstract new (...args: never[]) => Error): void {
  if (typeof errorClass !== 'function' || !(errorClass.prototype instanceof Error)) {
    throw new InvalidOptionError('errorClass', 'a subclass of Error', errorClass)
  }
  const name = errorClass.name
  const known = REGISTERED_BY_NAME.get(name)
  if (known !== undefined && known !== errorClass) {
    throw new InvalidOptionError('errorClass', `a class whose name is not already registered ("${name}" is)`, errorClass)
  }
  REGISTERED_BY_NAME.set(name, errorClass)
}

const MAX_CAUSE_DEPTH = 8
const RESERVED = new Set(['name', 'message', 'stack', 'code', 'cause'])

export function toWireError(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: String(error), stack: undefined, code: undefined, cause: undefined, data: undefined }
  }
  const code = (error as { code?: unknown }).code
  let data: WireError['data']
  for (const key of Object.keys(error)) {
    if (RESERVED.has(key)) continue
    const value = (error as unknown as Record<string, unknown>)[key]
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      ;(data ??= {})[key] = value as string | number | boolean | null
    }
  }
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    code: typeof code === 'string' ? code : undefined,
    cause: error.cause !== undefined && depth < MAX_CAUSE_DEPTH ? toWireError(error.cause, depth + 1) : undefined,
    data,
    className: typeof error.constructor?.name === 'string' ? error.constructor.name : undefined,
  }
}

/**
 * Rebuilds an error on the receiving thread. A troupe error comes back as its own class and a
 * built-in error (`RangeError`...) as its built-in class, and a class registered with
 * `registerErrorClass` as that class, so `instanceof` and `code` work; any other error comes back as an `Error` with the original name, message, stack, code and cause.
 */
export function fromWireError(wire: WireError): Error {
  const cls =
    (wire.code === undefined ? undefined : CLASSES_BY_CODE.get(wire.code)) ?? REGISTERED_BY_NAME.get(wire.className ?? wire.name) ?? BUILT_IN_BY_NAME.get(wire.name) ?? Error
  const error = Object.create(cls.prototype) as Error
  Object.defineProperty(error, 'message', { value: wire.message, writable: true, configurable: true })
  Object.defineProperty(error, 'name', { value: wire.name, writable: true, configurable: true })
  Object.defineProperty(error, 'stack', { value: wire.stack ?? `${wire.name}: ${wire.message}`, writable: true, configurable: true })
  if (wire.code !== undefined) Object.defineProperty(error, 'code', { value: wire.code, enumerable: true, configurable: true })
  if (wire.cause !== undefined) Object.defineProperty(error, 'cause', { value: fromWireError(wire.cause), configurable: true, writable: true })
  if (wire.data) Object.assign(error, wire.data)
  return error
}
