// Preloaded into every worker of tell.cross-thread.traced (`execArgv: ['--import', <this file>]`):
// registers a tracer provider on the worker's thread before troupe's host starts there, as an
// application would, and answers the main thread's requests for how many spans ended here.
import { BroadcastChannel, threadId } from 'node:worker_threads'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { CountingSpanProcessor, SPAN_COUNT_CHANNEL, isSpanCountRequest, type SpanCountReply } from './span-count.js'

// The default sampler (parent-based, always on): every message sent inside a sampled span is traced.
const processor = new CountingSpanProcessor()
new NodeTracerProvider({ spanProcessors: [processor] }).register()

const channel = new BroadcastChannel(SPAN_COUNT_CHANNEL)
// The channel must not keep a worker alive once troupe lets it exit.
channel.unref()
channel.addEventListener('message', (event: Event) => {
  const data = (event as Event & { data?: unknown }).data
  if (!isSpanCountRequest(data)) return
  const reply: SpanCountReply = { kind: 'span-count', request: data.request, threadId, spans: processor.ended }
  channel.postMessage(reply)
})
