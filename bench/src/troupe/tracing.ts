// tell.cross-thread.traced, main side: a tracer provider on the main thread and, through the
// preload, in every worker, sampling everything; each pass starts inside a root span, and the
// workers must have ended at least one span per tell. Loaded only by that benchmark (tell.ts
// imports it dynamically), and everything it registers is unregistered when the run ends.
import { BroadcastChannel } from 'node:worker_threads'
import { ProxyTracerProvider, context, propagation, trace } from '@opentelemetry/api'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { CountingSpanProcessor, SPAN_COUNT_CHANNEL, isSpanCountReply, type SpanCountRequest } from './span-count.js'
import type { StreamInstrumentation } from './stream-instrumentation.js'

/** The compiled preload, next to this file in dist. */
const PRELOAD = new URL('./tracing-preload.js', import.meta.url).href

/** How long the workers get to answer a count request: they are idle between passes. */
const replyTimeoutMs = 10_000

let lastRequest = 0

/** Unregisters the global tracer provider, context manager and propagator, and shuts `provider` down. */
async function unregister(provider: NodeTracerProvider): Promise<void> {
  await provider.shutdown()
  trace.disable()
  context.disable()
  propagation.disable()
}

/** Spans ended so far on each of `workers` workers, keyed by thread id; throws if one does not answer. */
function workerSpanCounts(channel: BroadcastChannel, workers: number): Promise<Map<number, number>> {
  const request = ++lastRequest
  const counts = new Map<number, number>()
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer)
      channel.removeEventListener('message', listener)
    }
    const listener = (event: Event): void => {
      const data = (event as Event & { data?: unknown }).data
      if (!isSpanCountReply(data) || data.request !== request) return
      counts.set(data.threadId, data.spans)
      if (counts.size < workers) return
      finish()
      resolve(counts)
    }
    const timer = setTimeout(() => {
      finish()
      reject(new Error(`only ${counts.size} of ${workers} worker(s) reported their span count: is the tracing preload loaded?`))
    }, replyTimeoutMs)
    channel.addEventListener('message', listener)
    const message: SpanCountRequest = { kind: 'span-count?', request }
    channel.postMessage(message)
  })
}

/**
 * Registers a `NodeTracerProvider` (default sampler: parent-based, always on) on the main thread,
 * whose spans are counted and dropped, and returns the stream's instrumentation for a system of
 * `workers` workers: the preload in every worker's execArgv, each pass's start commands inside a
 * root span, and a check that the workers ended at least one span per tell.
 */
export async function traceEveryThread(workers: number): Promise<StreamInstrumentation> {
  const processor = new CountingSpanProcessor()
  const provider = new NodeTracerProvider({ spanProcessors: [processor] })
  provider.register()
  // register() does not say whether it took effect: an earlier provider left registered would win.
  const global = trace.getTracerProvider()
  if (!(global instanceof ProxyTracerProvider && global.getDelegate() === provider)) {
    await unregister(provider)
    throw new Error('could not register the tracer provider on the main thread')
  }
  const tracer = trace.getTracer('troupe-bench')
  const channel = new BroadcastChannel(SPAN_COUNT_CHANNEL)
  channel.unref()
  return {
    options: { execArgv: ['--import', PRELOAD] },
    start(send) {
      tracer.startActiveSpan('tell stream', (root) => {
        try {
          send()
        } finally {
          root.end()
        }
      })
    },
    async check(tells) {
      if (processor.ended === 0) throw new Error('the main thread ended no root span')
      const counts = await workerSpanCounts(channel, workers)
      const spans = [...counts.values()].reduce((sum, n) => sum + n, 0)
      // Every hit is handled in a span on the receiver's worker, plus credits and the sender's turns.
      if (spans < tells) throw new Error(`the workers ended ${spans} span(s) for ${tells} tells: the stream was not traced`)
    },
    async close() {
      channel.close()
      await unregister(provider)
    },
  }
}
