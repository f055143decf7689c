import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { HistogramData, ThreadSnapshot, ActorTypeFigures } from './thread-snapshot.js'
import type { MetricsSnapshot } from './system-metrics.js'

/** One series of a metric: its labels and value (or, for a histogram, its data). */
type Labels = Record<string, string | number>
type Series = { labels: Labels; value: number }
type HistogramSeries = { labels: Labels; data: HistogramData }

/** What a metric reads its series from, once per scrape. */
type Read<T> = (snapshot: MetricsSnapshot) => T[]

/**
 * troupe's metrics as prom-client metrics: each reads the scrape's shared snapshot when the
 * registry collects it (prom-client calls every metric's `get()` at once, and the collector
 * shares one collection among them). They are prom-client's own classes, so a user can register
 * them into a registry of their own; their values come from the snapshot, not from `inc()`.
 */
export function createRegistry(snapshot: () => Promise<MetricsSnapshot>): Registry {
  const registry = new Registry()
  const add = (metric: Counter | Gauge | Histogram): void => registry.registerMetric(metric)
  const threads = (pick: (thread: ThreadSnapshot) => number): Read<Series> => (s) => s.threads.map((t) => ({ labels: { thread: t.thread }, value: pick(t) }))
  const counted = (s: MetricsSnapshot): ThreadSnapshot[] => s.threads.filter((t) => t.counting)
  const types =
    (pick: (figures: ActorTypeFigures) => number, onlyCounted: boolean): Read<Series> =>
    (s) =>
      (onlyCounted ? counted(s) : s.threads).flatMap((t) => t.types.map((f) => ({ labels: { thread: t.thread, actor_type: f.type }, value: pick(f) })))

  // ---- per thread: always -------------------------------------------------------------------
  add(gauge(snapshot, 'troupe_thread_up', 'Whether the thread answered this scrape (1) or not within the scrape timeout (0).', ['thread'], (s) => [
    ...s.threads.map((t) => ({ labels: { thread: t.thread }, value: 1 })),
    ...s.unreachable.map((thread) => ({ labels: { thread }, value: 0 })),
  ]))
  add(gauge(snapshot, 'troupe_thread_actors', 'Actors alive on the thread.', ['thread'], threads((t) => t.actors)))
  add(gauge(snapshot, 'troupe_thread_mailbox_depth', 'Messages waiting in the mailboxes of the thread.', ['thread'], threads((t) => t.mailboxDepth)))
  add(counter(snapshot, 'troupe_thread_messages_processed_total', 'Messages processed by the thread since it started.', ['thread'], threads((t) => t.processed)))
  add(counter(snapshot, 'troupe_thread_event_loop_active_seconds_total', 'Time the event loop of the thread was busy.', ['thread'], threads((t) => t.eventLoop.active / 1000)))
  add(counter(snapshot, 'troupe_thread_event_loop_idle_seconds_total', 'Time the event loop of the thread was idle.', ['thread'], threads((t) => t.eventLoop.idle / 1000)))
  add(gauge(snapshot, 'troupe_thread_event_loop_utilization', 'Event-loop utilisation (0..1) of the thread since the previous scrape.', ['thread'], (s) =>
    [...s.utilization].map(([thread, value]) => ({ labels: { thread }, value })),
  ))
  add(gauge(snapshot, 'troupe_actors', 'Actors alive, by thread and actor type.', ['thread', 'actor_type'], types((f) => f.actors, false)))
  add(gauge(snapshot, 'troupe_mailbox_depth', 'Messages waiting in mailboxes, by thread and actor type.', ['thread', 'actor_type'], types((f) => f.mailboxDepth, false)))

  // ---- per thread and actor type: with `metrics` on ------------------------------------------
  add(gauge(snapshot, 'troupe_mailbox_high_water', 'Deepest mailbox seen, by thread and actor type (read as an actor starts a run of messages).', ['thread', 'actor_type'], types((f) => f.mailboxHighWater, true)))
  add(counter(snapshot, 'troupe_messages_processed_total', 'Messages processed, by thread and actor type.', ['thread', 'actor_type'], types((f) => f.processed, true)))
  add(counter(snapshot, 'troupe_handler_failures_total', 'Handlers that threw or rejected, by thread and actor type.', ['thread', 'actor_type'], types((f) => f.failed, true)))
  add(counter(snapshot, 'troupe_actor_starts_total', 'Actors started, by thread and actor type.', ['thread', 'actor_type'], types((f) => f.started, true)))
  add(counter(snapshot, 'troupe_actor_stops_total', 'Actors stopped, by thread and actor type.', ['thread', 'actor_type'], types((f) => f.stopped, true)))
  add(counter(snapshot, 'troupe_actor_restarts_total', 'Actors restarted by their supervisor, by thread and actor type.', ['thread', 'actor_type'], types((f) => f.restarted, true)))
  add(histogram(snapshot, 'troupe_handler_duration_seconds', 'Handler durations of sampled messages (one in metrics.sampleEvery), until an async handler settles.', ['thread', 'actor_type'], (s) =>
    counted(s).flatMap((t) => t.types.map((f) => ({ labels: { thread: t.thread, actor_type: f.type }, data: f.handlerSeconds }))),
  ))
  add(histogram(snapshot, 'troupe_ask_duration_seconds', 'Time from an ask (or send) to its answer or failure, by the asking thread.', ['thread'], (s) =>
    counted(s).map((t) => ({ labels: { thread: t.thread }, data: t.asks.latencySeconds })),
  ))
  add(counter(snapshot, 'troupe_ask_timeouts_total', 'Asks that timed out, by the asking thread.', ['thread'], (s) => counted(s).map((t) => ({ labels: { thread: t.thread }, value: t.asks.timedOut }))))

  // ---- the system: always --------------------------------------------------------------------
  add(counter(snapshot, 'troupe_dead_letters_total', 'Messages no actor will process, by reason.', ['reason'], (s) =>
    Object.entries(s.deadLetters).map(([reason, value]) => ({ labels: { reason }, value: value ?? 0 })),
  ))
  const workers = (pick: (f: { crashes: number; hangs: number; replacements: number }) => number): Read<Series> => (s) =>
    [...s.workers].map(([thread, figures]) => ({ labels: { thread }, value: pick(figures) }))
  add(counter(snapshot, 'troupe_worker_crashes_total', 'Worker deaths (exit, uncaught error, out of memory, or terminated after hanging), by thread slot.', ['thread'], workers((f) => f.crashes)))
  add(counter(snapshot, 'troupe_worker_hangs_total', 'Workers terminated because one handler ran past handlerHangMs, by thread slot.', ['thread'], workers((f) => f.hangs)))
  add(counter(snapshot, 'troupe_worker_replacements_total', 'Fresh workers that took a dead one\'s slot, by thread slot.', ['thread'], workers((f) => f.replacements)))
  add(gauge(snapshot, 'troupe_offload_queue_length', 'Offloaded tasks waiting for a pool thread.', [], (s) => (s.offload ? [{ labels: {}, value: s.offload.queued }] : [])))
  add(gauge(snapshot, 'troupe_offload_threads', 'Offload pool threads running.', [], (s) => (s.offload ? [{ labels: {}, value: s.offload.threads }] : [])))
  add(counter(snapshot, 'troupe_offload_tasks_total', 'Offloaded tasks that ended, by outcome.', ['outcome'], (s) =>
    s.offload ? Object.entries(s.offload.tasks).map(([outcome, value]) => ({ labels: { outcome }, value })) : [],
  ))
  add(histogram(snapshot, 'troupe_offload_task_duration_seconds', 'Time from offload() to its result, waiting included.', [], (s) => (s.offload ? [{ labels: {}, data: s.offload.durationSeconds }] : [])))
  return registry
}

function gauge(snapshot: () => Promise<MetricsSnapshot>, name: string, help: string, labelNames: string[], read: Read<Series>): Gauge {
  return new (class extends Gauge {
    override async get() {
      return { ...(await super.get()), values: read(await snapshot()) }
    }
  })({ name, help, labelNames, registers: [] })
}

function counter(snapshot: () => Promise<MetricsSnapshot>, name: string, help: string, labelNames: string[], read: Read<Series>): Counter {
  return new (class extends Counter {
    override async get() {
      return { ...(await super.get()), values: read(await snapshot()) }
    }
  })({ name, help, labelNames, registers: [] })
}

function histogram(snapshot: () => Promise<MetricsSnapshot>, name: string, help: string, labelNames: string[], read: Read<HistogramSeries>): Histogram {
  // prom-client reads a histogram's text through `getForPromString()` (its `get()` calls it too),
  // a method its typings leave out: the base one gives name, help, type and aggregator.
  type PromString = { getForPromString(this: Histogram): Promise<Awaited<ReturnType<Histogram['get']>>> }
  const base = Histogram.prototype as unknown as PromString
  return new (class extends Histogram {
    async getForPromString(): ReturnType<Histogram['get']> {
      return { ...(await base.getForPromString.call(this)), values: read(await snapshot()).flatMap((series) => histogramValues(name, series)) }
    }
  })({ name, help, labelNames, registers: [] })
}

/** Prometheus' form of a histogram: cumulative `_bucket` counts by `le`, then `_sum` and `_count`. */
function histogramValues(name: string, { labels, data }: HistogramSeries): { labels: Labels; value: number; metricName: string }[] {
  const values: { labels: Labels; value: number; metricName: string }[] = []
  let cumulative = 0
  data.bounds.forEach((bound, i) => {
    cumulative += data.counts[i]!
    values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: cumulative })
  })
  values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: data.count })
  values.push({ metricName: `${name}_sum`, labels, value: data.sum })
  values.push({ metricName: `${name}_count`, labels, value: data.count })
  return values
}
