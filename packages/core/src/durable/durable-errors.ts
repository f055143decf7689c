import { TroupeError } from '../errors/errors.js'

/**
 * An attempt of a durable job ran past the handler's `jobTimeoutMs`. The attempt counts as
 * failed (retried, or dead-lettered after `maxAttempts`). An offload task's thread and a child
 * process are stopped; an actor's handler cannot be interrupted, so its actor is retired (see
 * docs/durable-handlers.md).
 */
export class JobTimeoutError extends TroupeError {
  readonly code = 'ERR_JOB_TIMEOUT'
  constructor(
    readonly handler: string,
    readonly timeoutMs: number,
  ) {
    super(`a job of durable handler ${handler} ran past its jobTimeoutMs (${timeoutMs} ms)`)
  }
}

/** The child process running a job (`executeIn: 'process'`) exited before it answered: the attempt failed. */
export class JobProcessExitedError extends TroupeError {
  readonly code = 'ERR_JOB_PROCESS_EXITED'
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
  ) {
    super(`the child process running the job exited (${signal ?? `code ${exitCode}`}) before it answered`)
  }
}

/**
 * An event came back for an attempt past `maxAttempts` without a result of the last attempt (its
 * node died, or could not acknowledge in time): it goes to the dead letters with this error.
 */
export class AttemptsExhaustedError extends TroupeError {
  readonly code = 'ERR_ATTEMPTS_EXHAUSTED'
  constructor(
    readonly handler: string,
    readonly attempts: number,
  ) {
    super(`durable handler ${handler} was delivered the event ${attempts} times without a result of its last allowed attempt`)
  }
}

/** An event's bytes on the stream are not a troupe event (another program published on the subject): dead-lettered at once. */
export class EventDecodeError extends TroupeError {
  readonly code = 'ERR_EVENT_DECODE'
  constructor(
    readonly seq: number,
    reason: string,
  ) {
    super(`event ${seq} cannot be decoded: ${reason}`)
  }
}
