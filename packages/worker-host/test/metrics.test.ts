import { describe, expect, it } from 'vitest'
import { Registry } from 'prom-client'
import { InvalidOptionError } from '../src/index.js'
import { Gauge, Meter } from './fixtures/observed.js'
import { errorOf, fixture, startSystem } from './helpers/system.js'
import { declares, parseSamples, valueOf } from './helpers/prometheus.js'
import { TASKS, failTask, fibTask, spinTask } from './helpers/tasks.js'

const ACTORS = [fixture('observed.ts')]

describe('metrics', () => {
  it('counts messages, handler time, asks, failures, starts, stops and restarts per thread and actor type', async () => {
    const system = await startSystem({ actors: ACTORS, metrics: { sampleEvery: 1 } })
    const a = await system.spawn(Meter, { placement: { worker: 0 } })
    const b = await system.spawn(Meter, { placement: { worker: 1 } })
    const g = await system.spawn(Gauge, { placement: { worker: 1 } })
    for (let i = 0; i < 100; i++) a.tell.tick()
    for (let i = 0; i < 50; i++) b.tell.tick()
    expect(await a.ask.ticks()).toBe(100)
    expect(await b.ask.ticks()).toBe(50)
    expect(await g.ask.read()).toBe(2)
    expect(await a.ask.hold(30)).toBe(100)
    await expect(a.with({ timeoutMs: 20 }).ask.hold(300)).rejects.toThrow(/20 ms|timed out/)
    a.tell.boom('on purpose') // a tell that throws: the actor fails and is restarted
    await expect.poll(() => a.ask.ticks()).toBe(0)
    const extra = await system.spawn(Gauge, { placement: { worker: 1 } })
    await system.stop(extra)

    const text = await system.metrics()
    const meter1 = { thread: 1, actor_type: 'Meter' }
    const meter2 = { thread: 2, actor_type: 'Meter' }
    // 100 ticks, ticks(), hold(30), the timed-out hold, boom, and the polled ticks() after the restart (at least one).
    const processed1 = valueOf(text, 'troupe_messages_processed_total', meter1)!
    expect(processed1).toBeGreaterThanOrEqual(105)
    expect(valueOf(text, 'troupe_messages_processed_total', meter2)).toBe(51)
    // read(), and the stop message of the second Gauge (system messages are messages too).
    expect(valueOf(text, 'troupe_messages_processed_total', { thread: 2, actor_type: 'Gauge' })).toBe(2)
    // sampleEvery 1: every handler timed; the async hold(30) counts until it settled.
    expect(valueOf(text, 'troupe_handler_duration_seconds_count', meter2)).toBe(51)
    expect(valueOf(text, 'troupe_handler_duration_seconds_sum', meter1)!).toBeGreaterThanOrEqual(0.03)
    const le10ms = valueOf(text, 'troupe_handler_duration_seconds_bucket', { ...meter1, le: 0.01 })!
    const all = valueOf(text, 'troupe_handler_duration_seconds_bucket', { ...meter1, le: '+Inf' })!
    expect(all - le10ms).toBeGreaterThanOrEqual(1) // hold(30) lies above 10 ms
    expect(valueOf(text, 'troupe_handler_failures_total', meter1)).toBe(1)
    expect(valueOf(text, 'troupe_actor_restarts_total', meter1)).toBe(1)
    expect(valueOf(text, 'troupe_actor_starts_total', { thread: 2, actor_type: 'Gauge' })).toBe(2)
    expect(valueOf(text, 'troupe_actor_stops_total', { thread: 2, actor_type: 'Gauge' })).toBe(1)
    expect(valueOf(text, 'troupe_actors', { thread: 2, actor_type: 'Gauge' })).toBe(1)
    // Asks from main: ticks() ×2, read(), hold(30), the timed-out hold, and the polled ticks().
    expect(valueOf(text, 'troupe_ask_duration_seconds_count', { thread: 0 })!).toBeGreaterThanOrEqual(6)
    expect(valueOf(text, 'troupe_ask_timeouts_total', { thread: 0 })).toBe(1)
    expect(valueOf(text, 'troupe_thread_actors', { thread: 1 })).toBe(1)
    expect(valueOf(text, 'troupe_thread_actors', { thread: 2 })).toBe(2)
    for (const thread of [0, 1, 2]) expect(valueOf(text, 'troupe_thread_up', { thread })).toBe(1)
    const utilization = valueOf(text, 'troupe_thread_event_loop_utilization', { thread: 1 })!
    expect(utilization).toBeGreaterThan(0)
    expect(utilization).toBeLessThanOrEqual(1)
  })

  it('reads the deepest mailbox and the high-water mark of a type', async () => {
    const system = await startSystem({ actors: ACTORS, metrics: true })
    const a = await system.spawn(Meter, { placement: { worker: 0 } })
    // The async hold keeps the actor busy, so the ticks wait in its mailbox; long enough that a
    // loaded machine still scrapes them there (the poll gives up before it ends).
    const held = a.ask.hold(3_000)
    for (let i = 0; i < 40; i++) a.tell.tick()
    await expect.poll(async () => valueOf(await system.metrics(), 'troupe_mailbox_depth', { thread: 1, actor_type: 'Meter' }), { timeout: 2_500 }).toBe(40)
    const snapshot = await system.metricsSnapshot()
    expect(snapshot.threads.find((t) => t.thread === 1)!.largestMailboxes[0]).toMatchObject({ id: a.id, type: 'Meter', depth: 40 })
    await held
    expect(await a.ask.ticks()).toBe(40)
    expect(valueOf(await system.metrics(), 'troupe_mailbox_high_water', { thread: 1, actor_type: 'Meter' })).toBeGreaterThanOrEqual(40)
  })

  it('counts dead letters by reason, and worker crashes and replacements by slot', async () => {
    const system = await startSystem({ actors: ACTORS, metrics: true })
    const a = await system.spawn(Meter, { placement: { worker: 1 } })
    const gone = await system.spawn(Gauge, { placement: { worker: 0 } })
    await system.stop(gone)
    gone.tell.read()
    await expect.poll(() => system.deadLetters.count).toBe(1)
    a.tell.exitProcess(7)
    await expect.poll(() => a.ask.where(), { timeout: 10_000 }).toBe(2)
    const text = await system.metrics()
    const [reason, count] = Object.entries(system.deadLetters.countsByReason)[0]!
    expect(valueOf(text, 'troupe_dead_letters_total', { reason })).toBe(count)
    expect(valueOf(text, 'troupe_worker_crashes_total', { thread: 2 })).toBe(1)
    expect(valueOf(text, 'troupe_worker_replacements_total', { thread: 2 })).toBe(1)
    expect(valueOf(text, 'troupe_worker_hangs_total', { thread: 2 })).toBe(0)
    // Re-created on the replacement worker (whose counters start from zero): a restart of its type there.
    expect(valueOf(text, 'troupe_actor_restarts_total', { thread: 2, actor_type: 'Meter' })).toBe(1)
  })

  it('without the option: thread and per-type gauges only, and no counting families', async () => {
    const system = await startSystem({ actors: ACTORS })
    const a = await system.spawn(Meter, { placement: { worker: 0 } })
    for (let i = 0; i < 10; i++) a.tell.tick()
    expect(await a.ask.ticks()).toBe(10)
    const text = await system.metrics()
    expect(valueOf(text, 'troupe_thread_messages_processed_total', { thread: 1 })).toBe(11)
    expect(valueOf(text, 'troupe_actors', { thread: 1, actor_type: 'Meter' })).toBe(1)
    expect(valueOf(text, 'troupe_messages_processed_total', { thread: 1 })).toBeUndefined()
    expect(valueOf(text, 'troupe_handler_duration_seconds_count', { thread: 1 })).toBeUndefined()
    // Every sample line belongs to a metric named troupe_…, in base units.
    for (const sample of parseSamples(text)) expect(sample.name).toMatch(/^troupe_[a-z_]+$/)
  })

  it('a hung thread does not hold the scrape: it is reported as not answering', async () => {
    const system = await startSystem({ actors: ACTORS, metrics: true, handlerHangMs: 20_000 })
    const a = await system.spawn(Meter, { placement: { worker: 0 } })
    a.tell.spin(4_000)
    await expect.poll(async () => valueOf(await system.metrics(), 'troupe_thread_up', { thread: 1 }), { timeout: 8_000 }).toBe(0)
    const text = await system.metrics()
    expect(valueOf(text, 'troupe_thread_up', { thread: 2 })).toBe(1)
  })

  it('counts offloaded tasks by outcome, with their durations and the queue', async () => {
    const system = await startSystem({ actors: ACTORS, workers: 1, offload: { tasks: [TASKS], maxThreads: 1 } })
    expect(await Promise.all([system.offload(fibTask, 10), system.offload(fibTask, 12)])).toEqual([55, 144])
    await expect(system.offload(failTask, 'no')).rejects.toThrow()
    await expect(system.offload(spinTask, 2_000, { timeoutMs: 50 })).rejects.toThrow(/50/)
    const text = await system.metrics()
    expect(valueOf(text, 'troupe_offload_tasks_total', { outcome: 'ok' })).toBe(2)
    expect(valueOf(text, 'troupe_offload_tasks_total', { outcome: 'error' })).toBe(1)
    expect(valueOf(text, 'troupe_offload_tasks_total', { outcome: 'timeout' })).toBe(1)
    expect(valueOf(text, 'troupe_offload_task_duration_seconds_count')).toBe(4)
    expect(valueOf(text, 'troupe_offload_task_duration_seconds_sum')!).toBeGreaterThanOrEqual(0.05)
    expect(valueOf(text, 'troupe_offload_queue_length')).toBe(0)
  })

  it('serves /metrics over HTTP, merges into a user registry, and closes on shutdown', async () => {
    const system = await startSystem({ actors: ACTORS, metrics: true })
    await system.spawn(Meter, { placement: { worker: 0 } })
    const server = await system.serveMetrics({ port: 0 })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    const response = await fetch(server.url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(valueOf(await response.text(), 'troupe_thread_actors', { thread: 1 })).toBe(1)
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404)

    const mine = new Registry()
    const merged = Registry.merge([mine, system.metricsRegistry])
    expect(declares(await merged.metrics(), 'troupe_thread_actors')).toBe(true)

    const bad = await errorOf<InvalidOptionError>(system.serveMetrics({ port: 70_000 }))
    expect(bad).toBeInstanceOf(InvalidOptionError)
    expect(bad.message).toMatch(/port/)
    await system.shutdown()
    await expect(fetch(server.url)).rejects.toThrow()
  })
})
