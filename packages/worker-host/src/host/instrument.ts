import { performance } from 'node:perf_hooks'
import type { Span } from '@opentelemetry/api'
import { RECEIVE } from '@troupe/core/internal'
import { messageChannel, type MessageHandlingContext } from '../diagnostics/channels.js'
import type { ThreadMetrics, TypeCounters } from '../metrics/thread-metrics.js'
import type { ThreadTracing } from '../tracing/thread-tracing.js'
import type { ActorCell } from './actor-cell.js'
import { cellState } from './cell-state.js'
import type { Envelope } from './envelope.js'

/** A message being measured, traced or reported: set on its envelope while its handler runs. */
export interface HandlerProbe {
  /** The instrument that set it, which ends it. */
  readonly owner: Instrument
  /** performance.now() when its handler started. */
  readonly start: number
  /** Set when its duration is sampled for its type's histogram. */
  readonly counters: TypeCounters | undefined
  span: Span | undefined
  /** Set while `troupe:message` has subscribers (see diagnostics/). */
  readonly diagnostics: MessageHandlingContext | undefined
  /** True until its handler has returned (a later `finished` means it settled asynchronously). */
  running: boolean
}

/**
 * What an actor cell reports while metrics count, a tracer provider is registered, or
 * `troupe:message` has subscribers. The host hands it out only then (see `Host.instrument`):
 * cells read it once per run and take their plain path when it is undefined, so with all three
 * off the message path pays one comparison per message and nothing else.
 *
 * - Counting is per run of a cell (messages processed, the mailbox depth it started with), not
 *   per message; one message in `sampleEvery` has its handler timed (two clock reads, ~120 ns).
 * - A message that carries a span context has its handler run in a child span (see tracing/).
 */
export class Instrument {
  /** Whether `troupe:message` has subscribers: read once per run of a cell (see `forRun`). */
  reported = false
  /** Metrics count, or a tracer provider is registered on this thread: on for every run. */
  readonly #always: boolean

  constructor(
    readonly thread: number,
    readonly metrics: ThreadMetrics,
    readonly tracing: ThreadTracing | undefined,
  ) {
    this.#always = metrics.counting || tracing !== undefined
  }

  /** This instrument for the run of a cell starting now, or undefined when nothing is on (`Host.instrument`). */
  forRun(): Instrument | undefined {
    this.reported = messageChannel.hasSubscribers
    return this.#always || this.reported ? this : undefined
  }

  /**
   * Whether `envelope` needs `process` (timed, traced, reported, or processed before), else the
   * cell's plain path. Small enough to be inlined into the run loop: most messages with metrics
   * on are neither sampled nor traced and pay only this. Counts the sampling down.
   */
  needs(envelope: Envelope): boolean {
    const metrics = this.metrics
    return (metrics.counting && --metrics.countdown <= 0) || (envelope.trace !== undefined && this.tracing !== undefined) || this.reported || envelope.probe !== undefined
  }

  /** Runs one message through `cell` (one that `needs` it): timed when sampled, in a span when it carries one, reported when subscribed. */
  process(cell: ActorCell, envelope: Envelope): void {
    // Processed again (a stashed message coming back): its first attempt ends here.
    envelope.probe?.owner.finished(envelope, undefined)
    const metrics = this.metrics
    const sampled = metrics.counting && metrics.countdown <= 0
    const traced = envelope.trace !== undefined && this.tracing !== undefined
    const reported = this.reported
    if (!sampled && !traced && !reported) {
      cellState.process(cell, envelope)
      return
    }
    if (sampled) metrics.countdown = metrics.sampleEvery
    const counters = metrics.typeOf(cell)
    const diagnostics = reported ? messageContext(this.thread, cell, counters.type, envelope) : undefined
    const probe: HandlerProbe = { owner: this, start: performance.now(), counters: sampled ? counters : undefined, span: undefined, diagnostics, running: true }
    envelope.probe = probe
    if (diagnostics !== undefined) messageChannel.start.publish(diagnostics)
    try {
      if (!traced) cellState.process(cell, envelope)
      else {
        probe.span = this.tracing!.start(envelope.trace!, counters.type, selectorName(envelope))
        this.tracing!.within(probe.span, () => cellState.process(cell, envelope))
      }
    } finally {
      probe.running = false
      if (diagnostics !== undefined) messageChannel.end.publish(diagnostics)
    }
  }

  /** `cell` processed `done` messages in one run; its mailbox held `depth` when the run began. */
  ran(cell: ActorCell, done: number, depth: number): void {
    if (!this.metrics.counting) return
    const counters = this.metrics.typeOf(cell)
    counters.processed += done
    if (depth > counters.highWater) counters.highWater = depth
  }

  /** The handler of a probed message settled (returned, or its promise settled); `error` if it failed. */
  finished(envelope: Envelope, error: unknown): void {
    const probe = envelope.probe
    if (probe === undefined) return
    envelope.probe = undefined
    probe.counters?.handler.observe((performance.now() - probe.start) / 1000)
    if (probe.span !== undefined) this.tracing!.end(probe.span, error)
    const diagnostics = probe.diagnostics
    if (diagnostics === undefined) return
    if (error !== undefined) {
      diagnostics.error = error
      messageChannel.error.publish(diagnostics)
    }
    if (!probe.running) {
      messageChannel.asyncStart.publish(diagnostics)
      messageChannel.asyncEnd.publish(diagnostics)
    }
  }

  /** A handler of `cell` threw or rejected. */
  failed(cell: ActorCell, envelope: Envelope, error: unknown): void {
    if (this.metrics.counting) this.metrics.typeOf(cell).failed++
    envelope.probe?.owner.finished(envelope, error ?? new Error('failed'))
  }

  started(cell: ActorCell): void {
    if (this.metrics.counting) this.metrics.typeOf(cell).started++
  }

  stopped(cell: ActorCell): void {
    if (this.metrics.counting) this.metrics.typeOf(cell).stopped++
  }

  restarted(cell: ActorCell): void {
    if (this.metrics.counting) this.metrics.typeOf(cell).restarted++
  }
}

function messageContext(thread: number, cell: ActorCell, actorType: string, envelope: Envelope): MessageHandlingContext {
  return { thread, actor: cell.id, actorType, selector: selectorName(envelope), sender: envelope.sender, senderThread: envelope.senderThread }
}

function selectorName(envelope: Envelope): string {
  const { selector } = envelope
  return typeof selector === 'string' ? selector : selector === RECEIVE ? 'receive' : 'system'
}
