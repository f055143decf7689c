import { describe, expectTypeOf, it } from 'vitest'
import type { Registry } from 'prom-client'
import {
  TROUPE_CHANNELS,
  type ActorSystem,
  type ActorSystemOptions,
  type MessageHandlingContext,
  type MetricsServer,
  type MetricsSnapshot,
  type SpareWorkerState,
  type SystemStats,
  type ThreadSnapshot,
} from '../src/index.js'

declare const system: ActorSystem

describe('stats', () => {
  it("stats() resolves to SystemStats, whose spareWorker is one of four states and read-only", () => {
    expectTypeOf(system.stats()).toEqualTypeOf<Promise<SystemStats>>()
    expectTypeOf<SystemStats['spareWorker']>().toEqualTypeOf<SpareWorkerState>()
    expectTypeOf<SpareWorkerState>().toEqualTypeOf<'off' | 'none' | 'booting' | 'ready'>()
    const stats = {} as SystemStats
    // @ts-expect-error: a snapshot, not a switch
    stats.spareWorker = 'ready'
  })
})

describe('metrics', () => {
  it('metrics() is Prometheus text; metricsRegistry a prom-client Registry; the snapshot typed data', () => {
    expectTypeOf(system.metrics()).toEqualTypeOf<Promise<string>>()
    expectTypeOf(system.metricsRegistry).toEqualTypeOf<Registry>()
    expectTypeOf(system.metricsSnapshot()).toEqualTypeOf<Promise<MetricsSnapshot>>()
    expectTypeOf<MetricsSnapshot['threads'][number]>().toEqualTypeOf<ThreadSnapshot>()
    expectTypeOf<ThreadSnapshot['types'][number]['handlerSeconds']['counts']>().toEqualTypeOf<readonly number[]>()
  })

  it('the metrics option takes a boolean or { sampleEvery }, nothing else', () => {
    expectTypeOf<{ actors: []; metrics: true }>().toExtend<ActorSystemOptions>()
    expectTypeOf<{ actors: []; metrics: { sampleEvery: 4 } }>().toExtend<ActorSystemOptions>()
    // @ts-expect-error: not a boolean or an options object
    const wrong: ActorSystemOptions = { actors: [], metrics: 'on' }
    // @ts-expect-error: sampleEvery is a number
    const wrongSample: ActorSystemOptions = { actors: [], metrics: { sampleEvery: '16' } }
    void wrong
    void wrongSample
  })

  it('serveMetrics takes { port, host } and resolves to a handle with url and close', () => {
    expectTypeOf(system.serveMetrics({ port: 9464, host: '0.0.0.0' })).toEqualTypeOf<Promise<MetricsServer>>()
    expectTypeOf<MetricsServer['url']>().toEqualTypeOf<string>()
    expectTypeOf<MetricsServer['close']>().toEqualTypeOf<() => Promise<void>>()
    // @ts-expect-error: port is a number
    void system.serveMetrics({ port: '9464' })
  })
})

describe('diagnostics channels', () => {
  it('names are literal types; the message context is typed', () => {
    expectTypeOf(TROUPE_CHANNELS.message).toEqualTypeOf<'troupe:message'>()
    expectTypeOf(TROUPE_CHANNELS.deadLetter).toEqualTypeOf<'troupe:dead-letter'>()
    expectTypeOf<MessageHandlingContext['selector']>().toEqualTypeOf<string>()
    expectTypeOf<MessageHandlingContext['thread']>().toEqualTypeOf<number>()
  })
})
