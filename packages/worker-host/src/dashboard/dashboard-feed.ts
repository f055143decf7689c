import type { DeadLetters } from '../system/dead-letters.js'
import type { SystemEvent } from '../system/system-events.js'
import type { Subscribable } from '../util/topic.js'
import { EventFeed } from './event-feed.js'
import type { ChartPoint, DashboardSample, DeadLetterView, HelloMessage } from './feed-types.js'
import { buildTree, type TreeSource } from './supervision-tree.js'
import type { ThreadReader } from '../metrics/thread-reader.js'
import { ThreadRows } from './thread-rows.js'

/** Chart points kept for a page that opens now: two minutes at the default interval. */
const HISTORY = 120

/** What the feed reads, all on the main thread. */
export interface FeedSource {
  readonly workers: number
  readonly events: Subscribable<SystemEvent>
  readonly deadLetters: Pick<DeadLetters, 'count' | 'countsByReason'>
  readonly tree: TreeSource
  readonly reader: ThreadReader
}

export interface FeedSettings {
  readonly intervalMs: number
  readonly sampleTimeoutMs: number
  readonly maxTreeNodes: number
}

/** Where the feed's messages go (the open streams). */
export type Publish = (event: 'sample' | 'events', data: unknown) => void

/**
 * The dashboard's data: a sample of every thread, the dead letters and the tree each
 * `intervalMs` while at least one page watches (nothing is sampled when none does), and the
 * system's events as they happen. Each sample is bounded by `sampleTimeoutMs` per thread, and
 * the next one starts only after it, so a hung worker slows nothing down.
 */
export class DashboardFeed {
  readonly #source: FeedSource
  readonly #settings: FeedSettings
  readonly #publish: Publish
  readonly #rows: ThreadRows
  readonly #events: EventFeed
  readonly #history: ChartPoint[] = []
  readonly #unsubscribe: () => void
  #latest: DashboardSample | undefined
  #sampling: Promise<DashboardSample> | undefined
  #timer: NodeJS.Timeout | undefined
  #flushScheduled = false
  #watching = false
  /** Bumped when sampling (re)starts, so a sample in flight from an earlier run schedules nothing. */
  #run = 0
  #closed = false

  constructor(source: FeedSource, settings: FeedSettings, publish: Publish) {
    this.#source = source
    this.#settings = settings
    this.#publish = publish
    this.#rows = new ThreadRows(source.workers)
    this.#events = new EventFeed((id) => describeActor(source.tree, id))
    this.#unsubscribe = source.events.subscribe((event) => this.#onEvent(event))
  }

  /** Starts or stops the periodic sampling (as pages open and close). */
  watch(on: boolean): void {
    if (this.#closed || on === this.#watching) return
    this.#watching = on
    clearTimeout(this.#timer)
    if (on) void this.#tick(++this.#run)
  }

  /** The first message of a new stream. */
  hello(): HelloMessage {
    return { workers: this.#source.workers, intervalMs: this.#settings.intervalMs, history: [...this.#history], events: this.#events.recent, latest: this.#latest }
  }

  /** The latest sample, or a fresh one when it is older than an interval (nobody watched). */
  current(): Promise<DashboardSample> {
    const latest = this.#latest
    if (latest && Date.now() - latest.at < this.#settings.intervalMs) return Promise.resolve(latest)
    return this.#sample()
  }

  get recentEvents(): HelloMessage['events'] {
    return this.#events.recent
  }

  close(): void {
    this.#closed = true
    this.#watching = false
    clearTimeout(this.#timer)
    this.#unsubscribe()
  }

  async #tick(run: number): Promise<void> {
    const started = Date.now()
    let sample: DashboardSample | undefined
    try {
      sample = await this.#sample()
    } catch (error) {
      // A page must not stop updating (nor the process die) over one sample that failed.
      process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'TroupeDashboardWarning')
    }
    if (run !== this.#run || !this.#watching || this.#closed) return
    if (sample) this.#publish('sample', sample)
    this.#timer = setTimeout(() => void this.#tick(run), Math.max(0, this.#settings.intervalMs - (Date.now() - started))).unref()
  }

  /** One sample at a time: a page and `/state.json` asking together share it. */
  #sample(): Promise<DashboardSample> {
    return (this.#sampling ??= this.#takeSample().finally(() => (this.#sampling = undefined)))
  }

  async #takeSample(): Promise<DashboardSample> {
    const { reader, deadLetters, tree, workers } = this.#source
    const readings = await reader.read(this.#settings.sampleTimeoutMs)
    const at = Date.now()
    const threads = this.#rows.rows(readings)
    const sample: DashboardSample = {
      at,
      threads,
      deadLetters: deadLetterView(deadLetters),
      tree: buildTree(tree, workers, this.#settings.maxTreeNodes),
    }
    this.#latest = sample
    this.#history.push({ at, threads: threads.map(({ thread, utilization, throughput }) => ({ thread, utilization, throughput })) })
    if (this.#history.length > HISTORY) this.#history.shift()
    return sample
  }

  #onEvent(event: SystemEvent): void {
    if (this.#closed) return
    this.#rows.onEvent(event)
    if (!this.#events.add(event) || this.#flushScheduled) return
    // Events of one burst (a crash and its actors' failures) travel as one message.
    this.#flushScheduled = true
    setImmediate(() => {
      this.#flushScheduled = false
      const batch = this.#events.takeBatch()
      if (batch && !this.#closed) this.#publish('events', batch)
    })
  }
}

function deadLetterView(deadLetters: FeedSource['deadLetters']): DeadLetterView {
  const byReason: Record<string, number> = {}
  for (const [reason, count] of Object.entries(deadLetters.countsByReason)) if (count) byReason[reason] = count
  return { total: deadLetters.count, byReason }
}

/** `Counter "hits" #12 on thread 2`, while main records the actor. */
function describeActor(tree: TreeSource, id: number): string | undefined {
  const record = tree.get(id)
  if (!record) return undefined
  const name = record.name === undefined ? '' : ` "${record.name}"`
  return `${record.blueprint.export}${name} #${id} on thread ${record.thread}`
}
