import type { JsMsg } from '@nats-io/jetstream'
import { AttemptsExhaustedError, EventDecodeError, JobTimeoutError, type JobContext, type JobInfo, type JobOutcome } from '@troupe/core'
import { decodeEvent } from '../protocol/durable-wire.js'
import { retryDelayAfter, type ResolvedHandlerOptions } from './handler-options.js'
import type { JobBudget } from './job-budget.js'
import type { JobExecutor } from './executors/job-executor.js'

/**
 * A job's executor is trusted to settle within `jobTimeoutMs`; past that plus this grace the
 * attempt is failed anyway, so that no job holds a slot forever.
 */
const GRACE_MS = 1000

/** What an attempt needs from its handler. */
export interface AttemptHost {
  readonly name: string
  readonly stream: string
  readonly options: ResolvedHandlerOptions
  readonly executor: JobExecutor
  readonly budget: JobBudget
  /** Resolves when the handler starts stopping: a job still waiting for a slot is handed back. */
  readonly stopping: Promise<void>
  /** A job starts running (it holds a node slot). */
  started(): void
  /** A job is over: `ran` when it had started. */
  ended(outcome: JobOutcome['status'] | 'returned', ran: boolean): void
  /** Publishes the dead letter and terminates the message; 'retry' when the publish failed (the message was nak'ed). */
  deadLetter(msg: JsMsg, event: unknown, job: JobInfo, error: unknown): Promise<'dead' | 'retry'>
}

/** Acks and naks are fire-and-forget publishes: on a closed connection the event simply comes back after ackWait. */
function quietly(settle: () => void): void {
  try {
    settle()
  } catch {
    // the connection is closed or draining; JetStream redelivers
  }
}

/** Keeps JetStream from redelivering a job in hand (waiting for a slot, or running): `working()` every ackWait/3. */
function startPulse(msg: JsMsg, ackWaitMs: number): () => void {
  const timer = setInterval(() => quietly(() => msg.working()), Math.max(30, Math.floor(ackWaitMs / 3)))
  timer.unref()
  return () => clearInterval(timer)
}

async function callHook(hook: () => unknown, handler: string): Promise<void> {
  try {
    await hook()
  } catch (error) {
    process.emitWarning(`a middleware of durable handler ${handler} threw: ${(error as Error)?.stack ?? String(error)}`, 'TroupeDurableWarning')
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timeout()), ms)))
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

/**
 * One delivery of an event to a handler on this node: decode, wait for a node slot (by
 * priority), run, and settle: ack on success; on failure nak with the next retry delay, or, at
 * the last attempt, dead-letter and terminate. An event whose bytes cannot be decoded, or that
 * comes back past `maxAttempts` (its last attempt's node died), is dead-lettered without running.
 */
export async function runAttempt(host: AttemptHost, msg: JsMsg): Promise<void> {
  const { options } = host
  const attempt = msg.info.deliveryCount
  const job: JobInfo = {
    handler: host.name,
    stream: host.stream,
    subject: msg.subject,
    seq: msg.seq,
    attempt,
    maxAttempts: options.maxAttempts,
    publishedAt: Math.floor(msg.info.timestampNanos / 1e6),
  }
  const stopPulse = options.pulse ? startPulse(msg, options.ackWaitMs) : undefined
  try {
    let event: unknown
    try {
      event = decodeEvent(msg.data)
    } catch (error) {
      host.ended(await host.deadLetter(msg, undefined, job, new EventDecodeError(msg.seq, (error as Error).message)), false)
      return
    }
    if (attempt > options.maxAttempts) {
      host.ended(await host.deadLetter(msg, event, job, new AttemptsExhaustedError(host.name, options.maxAttempts)), false)
      return
    }
    const slot = host.budget.request(options.priority)
    const first = await Promise.race([slot.granted.then(() => 'granted' as const), host.stopping.then(() => 'stopping' as const)])
    if (first === 'stopping') {
      if (!slot.cancel()) host.budget.release()
      // Not started: another node may take it now.
      quietly(() => msg.nak(0))
      host.ended('returned', false)
      return
    }
    await runGranted(host, msg, job, event)
  } finally {
    stopPulse?.()
  }
}

async function runGranted(host: AttemptHost, msg: JsMsg, job: JobInfo, event: unknown): Promise<void> {
  const { options } = host
  const context: JobContext<unknown> = { ...job, event }
  host.started()
  const startedAt = performance.now()
  let outcome: JobOutcome
  try {
    for (const middleware of options.middlewares) if (middleware.before) await callHook(() => middleware.before!(context), host.name)
    try {
      const timeoutMs = options.jobTimeoutMs
      await withDeadline(host.executor.run(event, job, timeoutMs), timeoutMs + GRACE_MS, () => new JobTimeoutError(host.name, timeoutMs))
      quietly(() => msg.ack())
      outcome = { status: 'done', durationMs: performance.now() - startedAt }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error))
      const durationMs = performance.now() - startedAt
      if (job.attempt >= options.maxAttempts && (await host.deadLetter(msg, event, job, failure)) === 'dead') {
        outcome = { status: 'dead', error: failure, durationMs }
      } else {
        const delayMs = retryDelayAfter(options.retryDelayMs, job.attempt)
        if (job.attempt < options.maxAttempts) quietly(() => msg.nak(delayMs))
        outcome = { status: 'retry', error: failure, delayMs, durationMs }
      }
    }
  } finally {
    host.budget.release()
  }
  host.ended(outcome.status, true)
  for (const middleware of options.middlewares) if (middleware.after) await callHook(() => middleware.after!(context, outcome), host.name)
}
