// A durable key-value log owned by one actor: what an app needs to persist an actor's state.
export { LogWriter } from './log-writer.js'
export type { Appended, Loaded, LogWriterOptions, WriterStats } from './writer-types.js'
export { put, remove, type DeleteRecord, type Entry, type LogRecord, type PutRecord } from './record.js'
export type { JsonValue } from './json-value.js'
export { DEFAULT_COMPACTION, type CompactionPolicy } from './compaction.js'
export { InvalidRecordError, LogCorruptError, LogWriteError, StaleFenceError, WriterClosedError } from './errors.js'
export { readLogFile, type LogFileContent } from './read-log-file.js'
export { STORE_ACTOR_MODULES } from './actor-modules.js'
