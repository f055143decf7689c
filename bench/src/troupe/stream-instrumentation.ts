// What a tell.* stream benchmark can set up around its runs (see tell.ts), e.g. tracing.
import type { SystemSettings } from './system.js'

/**
 * Set up before a run's system starts, closed after it has shut down (also on failure): so a
 * thread's host sees it when it starts, and nothing of it outlives the run.
 */
export interface StreamInstrumentation {
  /** Options it needs on the system (e.g. a preload in every worker's `execArgv`). */
  readonly options?: SystemSettings['options']
  /** Sends a pass's start commands (`send`), e.g. inside a span. Called inside the timed span. */
  start(send: () => void): void
  /**
   * After each pass, untimed: throws unless the instrumentation saw the stream, `tells` being
   * the tells of all passes so far. A benchmark of what instrumentation costs must prove it ran.
   */
  check(tells: number): Promise<void>
  close(): Promise<void>
}
