import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream'
import { headers } from '@nats-io/transport-node'
import type { DeadLetterEvent, DurableHandler, HandlerStats, JobInfo, JobOutcome } from '@troupe/core'
import { CONTENT_TYPE_HEADER, ERROR_CODE_HEADER, HANDLER_HEADER, MSGPACK, deadLetterError, encodeDeadLetter } from '../protocol/durable-wire.js'
import type { DurableNode, NodeHandler } from './durable-node.js'
import { REQUEST_TIMEOUT_MS } from './durable-node.js'
import { retryDelayAfter, type ResolvedHandlerOptions } from './handler-options.js'
import type { JobExecutor } from './executors/job-executor.js'
import { runAttempt, type AttemptHost } from './job-attempt.js'

/**
 * How long one pull request waits at the server for events. JetStream's minimum is 1 s; stopping
 * does not wait for it (the pull is cancelled).
 */
const FETCH_EXPIRES_MS = 5000
/** After a failed pull (NATS reconnecting, the consumer being re-created), wait this long before the next. */
const RETRY_PULL_MS = 250

export interface HandlerParts {
  readonly node: DurableNode
  readonly consumer: Consumer
  readonly name: string
  /** The troupe stream's name (with `.dead` levels, as jobs show it). */
  readonly stream: string
  /** Where this handler's dead letters go (the next level's subject). */
  readonly deadSubject: string
  readonly consumerName: string
  readonly options: ResolvedHandlerOptions
  readonly executor: JobExecutor
}

/**
 * A durable handler on this node: a loop of bounded pulls from its durable consumer, each asking
 * for no more events than the handler has free places (`maxJobs` less the jobs in hand), so at
 * most `maxJobs` jobs of it are ever in hand here; each event is one `runAttempt`.
 */
export class DurableHandlerImpl implements DurableHandler, NodeHandler, AttemptHost {
  readonly name: string
  readonly stream: string
  readonly options: ResolvedHandlerOptions
  readonly executor: JobExecutor
  readonly stopping: Promise<void>
  readonly #parts: HandlerParts
  readonly #jobs = new Set<Promise<void>>()
  #signalStopping!: () => void
  #stopped: Promise<void> | undefined
  #loop: Promise<void> | undefined
  #pull: ConsumerMessages | undefined
  /** Wakes the loop when a place frees up or the handler stops. */
  #wake: (() => void) | undefined
  #isStopping = false
  #inHand = 0
  #running = 0
  #peak = 0
  #done = 0
  #retried = 0
  #dead = 0

  constructor(parts: HandlerParts) {
    this.#parts = parts
    this.name = parts.name
    this.stream = parts.stream
    this.options = parts.options
    this.executor = parts.executor
    this.stopping = new Promise((resolve) => (this.#signalStopping = resolve))
  }

  get budget(): DurableNode['budget'] {
    return this.#parts.node.budget
  }

  get nodeMaxJobs(): number | undefined {
    return this.options.nodeMaxJobs
  }

  start(): void {
    this.#parts.node.add(this)
    this.#loop = this.#pullLoop()
  }

  stats(): HandlerStats {
    return { running: this.#running, waiting: this.#inHand - this.#running, peakRunning: this.#peak, done: this.#done, retried: this.#retried, dead: this.#dead }
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#isStopping = true
      this.#signalStopping()
      this.#wakeLoop()
      await this.#pull?.close().catch(() => undefined)
      await this.#loop
      // Each job settles within jobTimeoutMs (plus a grace): waiting for them is bounded.
      await Promise.all([...this.#jobs])
      await this.executor.close().catch(() => undefined)
      this.#parts.node.remove(this)
    })()
    return this.#stopped
  }

  // ---- AttemptHost ------------------------------------------------------------------------

  started(): void {
    this.#running++
    if (this.#running > this.#peak) this.#peak = this.#running
  }

  ended(outcome: JobOutcome['status'] | 'returned', ran: boolean): void {
    if (ran) this.#running--
    if (outcome === 'done') this.#done++
    else if (outcome === 'retry') this.#retried++
    else if (outcome === 'dead') this.#dead++
  }

  async deadLetter(msg: JsMsg, event: unknown, job: JobInfo, error: unknown): Promise<'dead' | 'retry'> {
    const wire = deadLetterError(error)
    const letter: DeadLetterEvent<unknown> = {
      event,
      ...(event === undefined ? { raw: msg.data } : {}),
      handler: this.name,
      attempts: Math.min(job.attempt, this.options.maxAttempts),
      seq: msg.seq,
      error: wire,
      deadAt: Date.now(),
      node: this.#parts.node.node,
    }
    const h = headers()
    h.set(CONTENT_TYPE_HEADER, MSGPACK)
    h.set(HANDLER_HEADER, this.name)
    if (wire.code) h.set(ERROR_CODE_HEADER, wire.code)
    try {
      // The id makes a second dead letter of one event by one handler (two nodes racing after a
      // redelivery) a duplicate that JetStream drops.
      await this.#parts.node.js.publish(this.#parts.deadSubject, encodeDeadLetter(letter), { msgID: `${this.#parts.consumerName}-${msg.seq}`, timeout: REQUEST_TIMEOUT_MS, headers: h })
    } catch {
      // Not stored: the event comes back and dead-lettering is tried again then.
      try {
        msg.nak(retryDelayAfter(this.options.retryDelayMs, job.attempt))
      } catch {
        // closed: redelivered after ackWait
      }
      return 'retry'
    }
    try {
      msg.term()
    } catch {
      // closed: it comes back after ackWait, and is dead-lettered again as a duplicate (dropped)
    }
    return 'dead'
  }

  // ---- the pull loop ----------------------------------------------------------------------

  async #pullLoop(): Promise<void> {
    const { consumer, node, options } = this.#parts
    while (!this.#isStopping && !node.nc.isClosed()) {
      const free = options.maxJobs - this.#inHand
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.#wake = resolve))
        continue
      }
      try {
        this.#pull = await consumer.fetch({ max_messages: free, expires: FETCH_EXPIRES_MS })
        if (this.#isStopping) await this.#pull.close()
        for await (const msg of this.#pull) this.#take(msg)
      } catch {
        if (!this.#isStopping) await this.#pause(RETRY_PULL_MS)
      } finally {
        this.#pull = undefined
      }
    }
  }

  #take(msg: JsMsg): void {
    if (this.#isStopping) {
      // Arrived as the pull was cancelled: another node may take it now.
      try {
        msg.nak(0)
      } catch {
        // closed: redelivered after ackWait
      }
      return
    }
    this.#inHand++
    const job: Promise<void> = runAttempt(this, msg)
      .catch((error: unknown) => process.emitWarning(`durable handler ${this.name}: ${(error as Error)?.stack ?? String(error)}`, 'TroupeDurableWarning'))
      .finally(() => {
        this.#inHand--
        this.#jobs.delete(job)
        this.#wakeLoop()
      })
    this.#jobs.add(job)
  }

  #wakeLoop(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      void this.stopping.then(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }
}
