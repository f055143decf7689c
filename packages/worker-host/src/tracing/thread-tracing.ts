import { createRequire } from 'node:module'
import type * as OTel from '@opentelemetry/api'

/**
 * A span context as it travels in a frame: trace id (32 hex), span id (16 hex) and trace flags
 * (2 hex) in one string, so a traced message costs one more slot and no nested object.
 */
export type TraceCarrier = string

/** Where `@opentelemetry/api` 1.x keeps what was registered globally (one registry per isolate). */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1')

/**
 * OpenTelemetry on one thread. It exists only when a tracer provider is registered on the thread
 * when its host starts: without one, `detect` does not even load `@opentelemetry/api` (an
 * optional peer dependency), no frame carries a context, and no handler pays for tracing.
 *
 * A worker thread is an isolate of its own: a provider registered on the main thread is not
 * registered there. Register one in every worker with a preload module (`execArgv: ['--import',
 * './tracing.js']`), as docs/observability.md shows.
 */
export class ThreadTracing {
  readonly #api: typeof OTel
  readonly #tracer: OTel.Tracer
  readonly #thread: number

  private constructor(api: typeof OTel, thread: number) {
    this.#api = api
    this.#thread = thread
    this.#tracer = api.trace.getTracer('troupe')
  }

  /** Tracing for `thread`, or undefined when no tracer provider is registered on this thread. */
  static detect(thread: number): ThreadTracing | undefined {
    const registry = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[OTEL_GLOBAL]
    if (registry?.trace === undefined) return undefined
    let api: typeof OTel
    try {
      api = createRequire(import.meta.url)('@opentelemetry/api') as typeof OTel
    } catch {
      return undefined // a provider from a copy of the API troupe cannot load: nothing to trace with
    }
    return isRegistered(api) ? new ThreadTracing(api, thread) : undefined
  }

  /** The context of the span active now, to carry in a message sent now; undefined outside any span. */
  carry(): TraceCarrier | undefined {
    const span = this.#api.trace.getActiveSpan()
    if (span === undefined) return undefined
    const spanContext = span.spanContext()
    if (!this.#api.isSpanContextValid(spanContext)) return undefined
    return spanContext.traceId + spanContext.spanId + (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0')
  }

  /** Starts the span a handler runs in: a child of the span the message was sent in. */
  start(carrier: TraceCarrier, actorType: string, selector: string): OTel.Span {
    const api = this.#api
    const parent = api.trace.setSpanContext(api.ROOT_CONTEXT, {
      traceId: carrier.slice(0, 32),
      spanId: carrier.slice(32, 48),
      traceFlags: Number.parseInt(carrier.slice(48, 50), 16),
      isRemote: true,
    })
    return this.#tracer.startSpan(
      `${actorType}.${selector}`,
      { kind: api.SpanKind.CONSUMER, attributes: { actor_type: actorType, selector, thread: this.#thread, 'messaging.system': 'troupe' } },
      parent,
    )
  }

  /** Runs `work` with `span` active: what it sends carries it, across its awaits too. */
  within(span: OTel.Span, work: () => void): void {
    const api = this.#api
    api.context.with(api.trace.setSpan(api.ROOT_CONTEXT, span), work)
  }

  /** Ends a handler's span; `error` marks it failed. */
  end(span: OTel.Span, error: unknown): void {
    if (error !== undefined) {
      if (error instanceof Error) span.recordException(error)
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) })
    }
    span.end()
  }
}

/**
 * Whether a real tracer provider is registered: the global one is a proxy whose delegate is the
 * no-op provider until the SDK registers itself.
 */
function isRegistered(api: typeof OTel): boolean {
  const provider = api.trace.getTracerProvider() as OTel.TracerProvider & { getDelegate?: () => OTel.TracerProvider }
  const delegate = typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider
  const noop = new api.ProxyTracerProvider().getDelegate()
  return delegate !== noop && delegate.constructor.name !== 'NoopTracerProvider'
}
