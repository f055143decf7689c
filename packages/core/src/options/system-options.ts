import { availableParallelism } from 'node:os'
import { InvalidOptionError } from '../errors/errors.js'
import { resolveSupervision, type ResolvedSupervision, type SupervisionOptions } from '../supervision/supervision-options.js'
import { isSystemClock, type ActorSystemClock } from './system-clock.js'
import { checkKnownOptions } from './known-options.js'
import { resolveEntityOptions, resolvePersistence, type EntityOptions, type PersistenceOptions, type ResolvedPersistence } from './persistence-options.js'
import { resolveClusterOptions, type ClusterOptions, type ResolvedClusterOptions } from './cluster-options.js'

export { checkKnownOptions }

export interface ActorSystemOptions {
  /**
   * The allow-list of actor modules: module URLs (a file) or directory URLs ending in `/`
   * (every module below it). Only classes exported by these modules can be spawned; every host
   * thread enforces it, the main thread included.
   */
  readonly actors: ReadonlyArray<string | URL>
  /**
   * The thread budget: actor workers plus offload threads. Default `os.availableParallelism()`.
   * When given, `workers + offload.maxThreads` must fit in it.
   */
  readonly threads?: number
  /** Actor worker threads, or `'auto'`: the budget less the offload threads (at least 1). Default `'auto'`. */
  readonly workers?: number | 'auto'
  /** A piscina pool for stateless CPU-bound tasks (`system.offload`, `ctx.offload`). Off unless given. */
  readonly offload?: OffloadPoolOptions
  /** Default deadline of an `ask`, in ms. Default 10 000. */
  readonly askTimeoutMs?: number
  /** Largest encoded message accepted by `tell`/`ask`, in bytes. Default 16 MiB. */
  readonly maxMessageBytes?: number
  /** Messages an actor may process before the dispatcher moves to the next ready actor. Default 64. */
  readonly throughput?: number
  /** How long `stop` waits for an actor to drain its mailbox and run `onStop`, in ms. Default 60 000. */
  readonly stopTimeoutMs?: number
  /**
   * How long `spawn` waits for an actor to start (its module imported, its constructor and
   * `onStart` run), in ms; past it, `spawn` rejects with `SpawnTimeoutError`. Default 30 000.
   */
  readonly spawnTimeoutMs?: number
  /**
   * How long `shutdown()` waits for the actors to stop before it terminates the workers anyway
   * and rejects with `ShutdownTimeoutError`, in ms. Default twice `stopTimeoutMs`.
   */
  readonly shutdownTimeoutMs?: number
  /** How often workers report load for `'least-loaded'` placement and `stats()`, in ms. Default 200. */
  readonly loadReportIntervalMs?: number
  /**
   * Load TypeScript actor modules in workers through tsx (an optional peer dependency).
   * Default `'auto'`: on when any actor module, or troupe itself, is a `.ts` file.
   */
  readonly typescript?: boolean | 'auto'
  /** Extra Node.js flags for worker threads, e.g. `['--cpu-prof']` to profile every worker. Default none. */
  readonly execArgv?: readonly string[]
  /**
   * How the system guardian supervises top-level actors. When it gives up (restart intensity
   * exceeded, or a failure escalated to it), the system shuts down with a `SupervisionError`.
   */
  readonly supervision?: SupervisionOptions
  /** How often workers report that their event loop is alive, in ms. Default 100. */
  readonly heartbeatIntervalMs?: number
  /**
   * A worker is hung when one handler (or any other synchronous stretch of its code) runs longer
   * than this, in ms: it is terminated and recovered as a crash (`worker-hung`, then
   * `worker-crashed`). A worker busy with many shorter handlers is never hung: it shows progress
   * after each time slice. Default 2000 (at least 5 × `heartbeatIntervalMs`).
   */
  readonly handlerHangMs?: number
  /** @deprecated The former name of `handlerHangMs`, still accepted with the same meaning. */
  readonly heartbeatTimeoutMs?: number
  /**
   * How long one dispatcher turn may run before the thread yields to its event loop, in ms:
   * replies and other outgoing messages leave at the end of each slice, even while the actors'
   * mailboxes still hold work. Default 5.
   */
  readonly timeSliceMs?: number
  /**
   * How long a thread that has just sent its messages and has nothing left to run polls the
   * links that carried a message in the last 2 ms before it parks, in µs (Erlang's scheduler
   * busy wait). With one message in flight between two threads the reply then costs no wake-up
   * of the thread (~75 µs on a small VM). An idle thread never spins, and a link whose spins keep
   * catching nothing is left alone until its next message. 0 turns it off (a machine shared with
   * other busy programs). 0 to 10 000; default 100.
   */
  readonly busyWaitUs?: number
  /**
   * What happens to the messages a worker had not processed when it died (crash, hang, exit):
   * `'at-most-once'` (default) makes each one a dead letter with reason `'worker-died'`;
   * `'at-least-once'` delivers them again, in each sender's order, to the restarted actor.
   * A spawn option of the same name overrides it per actor.
   */
  readonly delivery?: DeliveryGuarantee
  /** Memory limits of each worker (Node's `resourceLimits`); a worker that exceeds them dies and is replaced. */
  readonly resourceLimits?: { readonly maxOldGenerationSizeMb?: number; readonly maxYoungGenerationSizeMb?: number; readonly stackSizeMb?: number }
  /**
   * Keep one worker thread started and idle, ready to take the slot of a worker that dies, so a
   * restart does not wait for a thread to boot. It is not counted in `threads` (it runs no
   * actor), costs about one idle worker's memory, and is terminated on shutdown. Default false: opt in
   * (see "How a dead worker is replaced" in docs/supervision.md for why).
   */
  readonly spareWorker?: boolean
  /**
   * Count per actor type on every thread (messages processed, handler durations, starts, stops,
   * restarts, failures, mailbox high-water marks) and time every ask, for `system.metrics()`.
   * `true`, or `{ sampleEvery }`: one message in `sampleEvery` (1 to 1 000 000) has its handler
   * timed (default 64; 1 times every message). Default off: the figures that need no counting on
   * the message path (actors, mailbox depths, event-loop time, dead letters, worker crashes, the
   * offload pool) are in `system.metrics()` either way.
   */
  readonly metrics?: boolean | MetricsOptions
  /**
   * Manual time for tests: a `ManualClock` from `troupe/testkit`. Ask deadlines, `ctx.schedule`
   * and `ctx.every`, handler timeouts and supervision backoff on every thread then read it, and
   * nothing of theirs fires until `clock.advance(ms)`. Default: real time.
   */
  readonly clock?: ActorSystemClock
  /** Where entities keep their state and reminders. Entities need it; nothing about it is loaded without it. */
  readonly persistence?: PersistenceOptions
  /** How entities behave (idle passivation). */
  readonly entities?: EntityOptions
  /** Joins a cluster of nodes over NATS (docs/cluster.md). Without it nothing about NATS is loaded. */
  readonly cluster?: ClusterOptions
}

/** See `ActorSystemOptions.metrics`. */
export interface MetricsOptions {
  /** One message in this many has its handler timed for the duration histogram. Default 64. */
  readonly sampleEvery?: number
}

/** See `ActorSystemOptions.delivery`. */
export type DeliveryGuarantee = 'at-most-once' | 'at-least-once'

/** Validates a `delivery` option (system or spawn), naming it in the error. */
export function resolveDelivery(option: string, value: unknown, fallback: DeliveryGuarantee): DeliveryGuarantee {
  if (value === undefined) return fallback
  if (value === 'at-most-once' || value === 'at-least-once') return value
  throw new InvalidOptionError(option, "'at-most-once' or 'at-least-once'", value)
}

export interface OffloadPoolOptions {
  /** The allow-list of task modules (files, or folders ending in `/`), enforced in the pool's threads too. */
  readonly tasks: ReadonlyArray<string | URL>
  /** Pool threads. Default: a quarter of the budget, at least 1. */
  readonly maxThreads?: number
  /** Tasks that may wait for a thread; past it `offload` rejects with `OffloadQueueFullError`. Default 1000. */
  readonly maxQueue?: number
  /** An idle pool thread exits after this many ms. Default 30 000. */
  readonly idleTimeoutMs?: number
  /**
   * Most tasks sent to a pool thread in one message when tasks wait for a thread (1 to 1024;
   * 1 sends every task alone). Default 128. A task that finds a thread free always goes alone.
   */
  readonly maxBatch?: number
}

export interface ResolvedSystemOptions {
  actors: string[]
  /** The thread budget: workers + offload threads. */
  threads: number
  workers: number
  offload: { tasks: string[]; maxThreads: number; maxQueue: number; idleTimeoutMs: number; maxBatch: number } | undefined
  askTimeoutMs: number
  stopTimeoutMs: number
  spawnTimeoutMs: number
  shutdownTimeoutMs: number
  maxMessageBytes: number
  throughput: number
  loadReportIntervalMs: number
  typescript: boolean | 'auto'
  execArgv: string[]
  supervision: ResolvedSupervision
  heartbeatIntervalMs: number
  handlerHangMs: number
  timeSliceMs: number
  busyWaitUs: number
  delivery: DeliveryGuarantee
  resourceLimits: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number; stackSizeMb?: number } | undefined
  spareWorker: boolean
  /** Undefined: off. */
  metrics: { sampleEvery: number } | undefined
  /** Undefined: real time. */
  clock: ActorSystemClock | undefined
  /** Undefined: no store (entities cannot be used). */
  persistence: ResolvedPersistence | undefined
  entities: { idleTimeoutMs: number }
  /** Undefined: a system of one process. */
  cluster: ResolvedClusterOptions | undefined
}

const MAX_WORKERS = 1024
const MAX_TIMEOUT_MS = 2 ** 31 - 1
/** A batch travels as one structured-clone message; past this it is one large copy, not a saving. */
const MAX_BATCH = 1024
const DEFAULT_MAX_BATCH = 128

function busyWait(value: unknown): number {
  if (value === undefined) return 100
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000) return value
  throw new InvalidOptionError('busyWaitUs', 'an integer of microseconds from 0 to 10000', value)
}

function positiveInteger(option: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max) return value
  throw new InvalidOptionError(option, `an integer from 1 to ${max}`, value)
}

/** Splits the thread budget between actor workers and offload threads. */
function resolveThreads(options: ActorSystemOptions): Pick<ResolvedSystemOptions, 'threads' | 'workers' | 'offload'> {
  const budget = options.threads === undefined ? availableParallelism() : positiveInteger('threads', options.threads, 1, MAX_WORKERS * 2)
  const offload = resolveOffload(options.offload, budget)
  const offloadThreads = offload?.maxThreads ?? 0
  const workers = options.workers === undefined || options.workers === 'auto' ? Math.max(1, budget - offloadThreads) : options.workers
  if (!(typeof workers === 'number' && Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS)) {
    throw new InvalidOptionError('workers', `'auto' or an integer from 1 to ${MAX_WORKERS}`, options.workers)
  }
  if (options.threads !== undefined && workers + offloadThreads > budget) {
    throw new InvalidOptionError('threads', `at least workers + offload.maxThreads (${workers} + ${offloadThreads})`, options.threads)
  }
  // Without an explicit budget, asking for more workers grows the budget to what was asked.
  return { threads: Math.max(budget, workers + offloadThreads), workers, offload }
}

function resolveOffload(offload: unknown, budget: number): ResolvedSystemOptions['offload'] {
  if (offload === undefined) return undefined
  if (typeof offload !== 'object' || offload === null) throw new InvalidOptionError('offload', 'an object { tasks, maxThreads?, maxQueue?, idleTimeoutMs?, maxBatch? }', offload)
  checkKnownOptions(offload, ['tasks', 'maxThreads', 'maxQueue', 'idleTimeoutMs', 'maxBatch'], 'offload.')
  const { tasks, maxThreads, maxQueue, idleTimeoutMs, maxBatch } = offload as OffloadPoolOptions
  if (!Array.isArray(tasks)) throw new InvalidOptionError('offload.tasks', 'an array of task module URLs', tasks)
  return {
    tasks: tasks.map((entry, i) => toModuleHref(entry, `offload.tasks[${i}]`)),
    maxThreads: positiveInteger('offload.maxThreads', maxThreads, Math.max(1, Math.floor(budget / 4)), MAX_WORKERS),
    maxQueue: positiveInteger('offload.maxQueue', maxQueue, 1000, 1_000_000_000),
    idleTimeoutMs: positiveInteger('offload.idleTimeoutMs', idleTimeoutMs, 30_000, MAX_TIMEOUT_MS),
    // The pool sizes batches to about 1 ms of measured task time, so this cap only binds for
    // tiny tasks: there, per-message cost kept falling up to batches of 128-256 on a 2-core VM.
    maxBatch: positiveInteger('offload.maxBatch', maxBatch, DEFAULT_MAX_BATCH, MAX_BATCH),
  }
}

function toModuleHref(entry: unknown, option: string): string {
  if (entry instanceof URL) return entry.href
  if (typeof entry === 'string') {
    try {
      return new URL(entry).href
    } catch {
      throw new InvalidOptionError(option, 'an absolute module URL (e.g. new URL("./my-actor.js", import.meta.url))', entry)
    }
  }
  throw new InvalidOptionError(option, 'a URL or an absolute URL string', entry)
}

const SYSTEM_OPTIONS = [
  'actors',
  'threads',
  'workers',
  'offload',
  'askTimeoutMs',
  'maxMessageBytes',
  'throughput',
  'stopTimeoutMs',
  'spawnTimeoutMs',
  'shutdownTimeoutMs',
  'loadReportIntervalMs',
  'typescript',
  'execArgv',
  'supervision',
  'heartbeatIntervalMs',
  'heartbeatTimeoutMs',
  'handlerHangMs',
  'timeSliceMs',
  'busyWaitUs',
  'delivery',
  'resourceLimits',
  'spareWorker',
  'metrics',
  'clock',
  'persistence',
  'entities',
  'cluster',
] as const satisfies readonly (keyof ActorSystemOptions)[]

export function resolveSystemOptions(options: ActorSystemOptions | undefined): ResolvedSystemOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object', options)
  checkKnownOptions(options, SYSTEM_OPTIONS)
  if (!Array.isArray(options.actors)) throw new InvalidOptionError('actors', 'an array of actor module URLs', options.actors)
  const { threads, workers, offload } = resolveThreads(options)
  const typescript = options.typescript ?? 'auto'
  if (typescript !== 'auto' && typeof typescript !== 'boolean') throw new InvalidOptionError('typescript', "true, false or 'auto'", typescript)
  const spareWorker = options.spareWorker ?? false
  if (typeof spareWorker !== 'boolean') throw new InvalidOptionError('spareWorker', 'true or false', spareWorker)
  return {
    actors: options.actors.map((entry, i) => toModuleHref(entry, `actors[${i}]`)),
    threads,
    workers,
    offload,
    askTimeoutMs: positiveInteger('askTimeoutMs', options.askTimeoutMs, 10_000, MAX_TIMEOUT_MS),
    ...deadlines(options),
    maxMessageBytes: positiveInteger('maxMessageBytes', options.maxMessageBytes, 16 * 1024 * 1024, 2 ** 30),
    throughput: positiveInteger('throughput', options.throughput, 64, 1_000_000),
    loadReportIntervalMs: positiveInteger('loadReportIntervalMs', options.loadReportIntervalMs, 200, MAX_TIMEOUT_MS),
    typescript,
    execArgv: stringArray('execArgv', options.execArgv),
    supervision: resolveSupervision(options.supervision),
    ...heartbeat(options),
    timeSliceMs: positiveInteger('timeSliceMs', options.timeSliceMs, 5, 60_000),
    busyWaitUs: busyWait(options.busyWaitUs),
    delivery: resolveDelivery('delivery', options.delivery, 'at-most-once'),
    resourceLimits: resolveResourceLimits(options.resourceLimits),
    spareWorker,
    metrics: resolveMetrics(options.metrics),
    clock: resolveClock(options.clock),
    ...persistenceAndCluster(options),
    entities: resolveEntityOptions(options.entities),
  }
}

/** The cluster's entities depend on the store: sharded ones need the store every node shares. */
function persistenceAndCluster(options: ActorSystemOptions): Pick<ResolvedSystemOptions, 'persistence' | 'cluster'> {
  const persistence = resolvePersistence(options.persistence)
  return { persistence, cluster: resolveClusterOptions(options.cluster, persistence?.store === 'nats') }
}

function resolveClock(value: unknown): ActorSystemClock | undefined {
  if (value === undefined) return undefined
  if (!isSystemClock(value)) throw new InvalidOptionError('clock', "a ManualClock from 'troupe/testkit'", value)
  return value
}

/**
 * Timing a handler costs two clock reads (~60 ns each here) and a histogram update: on a stream
 * of trivial handlers, one in 16 cost the receiving thread ~6% in a profile; one in 64 keeps it
 * near 1.5%, and still times ~15 000 handlers a second on a thread running a million.
 */
const DEFAULT_SAMPLE_EVERY = 64

function resolveMetrics(value: unknown): ResolvedSystemOptions['metrics'] {
  if (value === undefined || value === false) return undefined
  if (value === true) return { sampleEvery: DEFAULT_SAMPLE_EVERY }
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('metrics', 'true, false or an object { sampleEvery? }', value)
  checkKnownOptions(value, ['sampleEvery'], 'metrics.')
  return { sampleEvery: positiveInteger('metrics.sampleEvery', (value as MetricsOptions).sampleEvery, DEFAULT_SAMPLE_EVERY, 1_000_000) }
}

function deadlines(options: ActorSystemOptions): Pick<ResolvedSystemOptions, 'stopTimeoutMs' | 'spawnTimeoutMs' | 'shutdownTimeoutMs'> {
  const stopTimeoutMs = positiveInteger('stopTimeoutMs', options.stopTimeoutMs, 60_000, MAX_TIMEOUT_MS)
  return {
    stopTimeoutMs,
    spawnTimeoutMs: positiveInteger('spawnTimeoutMs', options.spawnTimeoutMs, 30_000, MAX_TIMEOUT_MS),
    shutdownTimeoutMs: positiveInteger('shutdownTimeoutMs', options.shutdownTimeoutMs, Math.min(2 * stopTimeoutMs, MAX_TIMEOUT_MS), MAX_TIMEOUT_MS),
  }
}

function heartbeat(options: ActorSystemOptions): { heartbeatIntervalMs: number; handlerHangMs: number } {
  const heartbeatIntervalMs = positiveInteger('heartbeatIntervalMs', options.heartbeatIntervalMs, 100, MAX_TIMEOUT_MS)
  const fallback = Math.max(2000, 5 * heartbeatIntervalMs)
  // The former name keeps working; given both, they must agree, or it is unclear which one wins.
  const legacy = positiveInteger('heartbeatTimeoutMs', options.heartbeatTimeoutMs, fallback, MAX_TIMEOUT_MS)
  const option = options.handlerHangMs === undefined && options.heartbeatTimeoutMs !== undefined ? 'heartbeatTimeoutMs' : 'handlerHangMs'
  const handlerHangMs = positiveInteger('handlerHangMs', options.handlerHangMs, legacy, MAX_TIMEOUT_MS)
  if (options.handlerHangMs !== undefined && options.heartbeatTimeoutMs !== undefined && handlerHangMs !== legacy) {
    throw new InvalidOptionError('heartbeatTimeoutMs', `left out (it is the former name of handlerHangMs, given as ${handlerHangMs})`, options.heartbeatTimeoutMs)
  }
  if (handlerHangMs <= heartbeatIntervalMs) {
    throw new InvalidOptionError(option, `greater than heartbeatIntervalMs (${heartbeatIntervalMs})`, handlerHangMs)
  }
  return { heartbeatIntervalMs, handlerHangMs }
}

function resolveResourceLimits(value: unknown): ResolvedSystemOptions['resourceLimits'] {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('resourceLimits', 'an object', value)
  checkKnownOptions(value, ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'stackSizeMb'], 'resourceLimits.')
  const limits: NonNullable<ResolvedSystemOptions['resourceLimits']> = {}
  for (const key of ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'stackSizeMb'] as const) {
    const item = (value as Record<string, unknown>)[key]
    if (item === undefined) continue
    if (typeof item !== 'number' || !(item > 0)) throw new InvalidOptionError(`resourceLimits.${key}`, 'a positive number', item)
    limits[key] = item
  }
  return limits
}

function stringArray(option: string, value: unknown): string[] {
  if (value === undefined) return []
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...(value as string[])]
  throw new InvalidOptionError(option, 'an array of strings', value)
}

/** True when `href` is allowed by the allow-list (an exact module, or below a directory entry). */
export function isModuleAllowed(allowList: readonly string[], href: string): boolean {
  return allowList.some((entry) => (entry.endsWith('/') ? href.startsWith(entry) : href === entry))
}
