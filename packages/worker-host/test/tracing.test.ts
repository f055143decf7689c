import { BroadcastChannel } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trace, context, propagation } from '@opentelemetry/api'
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node'
import { ThreadTracing } from '../src/tracing/thread-tracing.js'
import { Meter } from './fixtures/observed.js'
import { fixture, startSystem } from './helpers/system.js'

/** A span as the workers' preload posts it (see fixtures/tracing-preload.mjs). */
interface PostedSpan {
  name: string
  traceId: string
  spanId: string
  parentSpanId: string | undefined
  attributes: Record<string, unknown>
  status: number
}

const PRELOAD = fixture('tracing-preload.mjs').href
const exporter = new InMemorySpanExporter()
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
const workerSpans: PostedSpan[] = []
const channel = new BroadcastChannel('troupe-test-spans')

beforeAll(() => {
  // Checked before registering: with no provider, a thread does not trace (nor load the API).
  expect(ThreadTracing.detect(0)).toBeUndefined()
  provider.register()
  channel.onmessage = (event) => workerSpans.push(...(event as { data: PostedSpan[] }).data)
})

afterAll(async () => {
  channel.close()
  await provider.shutdown()
  trace.disable()
  context.disable()
  propagation.disable()
})

describe('tracing', () => {
  it('one trace from a root span on main through actors on two workers, parent to child across threads and awaits', async () => {
    const system = await startSystem({ actors: [fixture('observed.ts')], execArgv: ['--import', PRELOAD] })
    const a = await system.spawn(Meter, { placement: { worker: 0 } })
    const b = await system.spawn(Meter, { placement: { worker: 1 } })
    const c = await system.spawn(Meter, { placement: { worker: 0 } })
    const tracer = trace.getTracer('test')
    const threads = await tracer.startActiveSpan('GET /orders/42', async (root) => {
      try {
        return await a.ask.relay([b, c])
      } finally {
        root.end()
      }
    })
    expect(threads).toEqual([1, 2, 1])
    await expect.poll(() => workerSpans.length).toBe(3)

    const [root] = exporter.getFinishedSpans().filter((span) => span.name === 'GET /orders/42')
    expect(root).toBeDefined()
    const traceId = root!.spanContext().traceId
    // Every handler span belongs to the root's trace, and each is the child of the span that sent its message.
    expect(workerSpans.map((span) => span.traceId)).toEqual([traceId, traceId, traceId])
    const byParent = new Map(workerSpans.map((span) => [span.parentSpanId, span]))
    const first = byParent.get(root!.spanContext().spanId)!
    const second = byParent.get(first.spanId)!
    const third = byParent.get(second.spanId)!
    expect([first, second, third].map((span) => [span.name, span.attributes['actor_type'], span.attributes['selector'], span.attributes['thread']])).toEqual([
      ['Meter.relay', 'Meter', 'relay', 1],
      ['Meter.relay', 'Meter', 'relay', 2],
      ['Meter.relay', 'Meter', 'relay', 1],
    ])
  })

  it('a handler that fails ends its span with an error status; a message sent outside any span is not traced', async () => {
    workerSpans.length = 0
    const system = await startSystem({ actors: [fixture('observed.ts')], execArgv: ['--import', PRELOAD] })
    const a = await system.spawn(Meter, { placement: { worker: 1 } })
    a.tell.tick() // outside any span
    expect(await a.ask.ticks()).toBe(1)
    await trace.getTracer('test').startActiveSpan('job', async (root) => {
      await expect(a.ask.boom('traced failure')).rejects.toThrow('traced failure')
      root.end()
    })
    await expect.poll(() => workerSpans.length).toBe(1)
    expect(workerSpans[0]).toMatchObject({ name: 'Meter.boom', status: 2 }) // SpanStatusCode.ERROR
  })
})
