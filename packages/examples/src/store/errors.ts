// Errors of the log writer. Each has a stable `code`: across threads an error arrives as a plain
// `Error` with its name, message and code (only troupe's own classes are rebuilt), so callers
// branch on `code`, not on `instanceof`.

/** An append carried a fence that is not the current owner's: another `load()` came since. */
export class StaleFenceError extends Error {
  readonly code = 'ERR_STALE_FENCE'
  constructor() {
    super('append refused: the log was loaded again since this fence was issued (another owner, or this owner restarted)')
    this.name = 'StaleFenceError'
  }
}

/** The records of an append are malformed; nothing was written. */
export class InvalidRecordError extends Error {
  readonly code = 'ERR_INVALID_RECORD'
  constructor(message: string) {
    super(message)
    this.name = 'InvalidRecordError'
  }
}

/**
 * The log holds a damaged entry followed by intact ones. A crash can only tear the end of an
 * append-only file, so this is not a torn write, and guessing would lose acknowledged data.
 */
export class LogCorruptError extends Error {
  readonly code = 'ERR_LOG_CORRUPT'
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(`log is corrupt at byte ${offset}: ${reason}`)
    this.name = 'LogCorruptError'
  }
}

/** Writing or syncing the log failed; whether the records reached the disk is unknown. */
export class LogWriteError extends Error {
  readonly code = 'ERR_LOG_WRITE'
  constructor(cause: unknown) {
    super(`log write failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'LogWriteError'
  }
}

/** The writer stopped (or restarted) before this request could be served. */
export class WriterClosedError extends Error {
  readonly code = 'ERR_WRITER_CLOSED'
  constructor() {
    super('the log writer stopped before serving this request')
    this.name = 'WriterClosedError'
  }
}
