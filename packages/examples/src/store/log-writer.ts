import { randomUUID } from 'node:crypto'
import { Actor, type ActorLifecycle, type DeferredReply } from 'troupe'
import { checkCompactionPolicy, DEFAULT_COMPACTION, shouldCompact, type CompactionPolicy } from './compaction.js'
import { encodeEntry } from './entry-codec.js'
import { LogWriteError, StaleFenceError, WriterClosedError } from './errors.js'
import { LogFile } from './log-file.js'
import { LogState } from './log-state.js'
import { checkRecords, type LogRecord } from './record.js'
import type { Appended, Loaded, LogWriterOptions, WriterStats } from './writer-types.js'

type PendingAppend = { readonly fence: string; readonly records: LogRecord[]; readonly reply: DeferredReply<Appended> }

/** The one I/O operation in progress; the next starts when it ends. */
type Running = { readonly kind: 'flush'; readonly batch: PendingAppend[]; readonly done: Promise<void> } | { readonly kind: 'compaction'; readonly done: Promise<void> }

/**
 * Owns one append-only log file and makes appends durable with group commit: while one
 * write+fsync runs, the appends that arrive meanwhile wait, and the next round writes and syncs
 * them all at once. Each append is answered only when its fsync has returned.
 *
 * I/O runs through `ctx.pipeToSelf`, so the writer keeps taking messages while the disk works,
 * and its completion comes back as a message: state only ever changes inside a handler.
 *
 * One owner at a time: `load()` hands out a new fence, and appends must carry the current one.
 * A restarted owner loads again, so late appends from its previous life are refused instead of
 * landing after a state the new life has already read.
 */
export class LogWriter extends Actor<LogWriter> implements ActorLifecycle {
  readonly #path: string
  readonly #policy: CompactionPolicy
  #file: LogFile | undefined
  #state = new LogState()
  #fence: string | undefined
  /** Appends received since the current flush began: the next group. */
  #waiting: PendingAppend[] = []
  #running: Running | undefined
  /** Appends accepted so far. A load or sync waits until the ones accepted before it are durable. */
  #accepted = 0
  #loads: { readonly upTo: number; readonly fence: string; readonly reply: DeferredReply<Loaded> }[] = []
  #syncs: { readonly upTo: number; readonly reply: DeferredReply<WriterStats> }[] = []
  /** Stopping or restarting: late I/O completions are ignored, `onStop` settles everything. */
  #closed = false
  /** A write, sync or compaction failed: the file's content is unknown until it is re-read. */
  #failed = false
  #recovered = { entries: 0, tornBytes: 0 }
  #counters = { appends: 0, records: 0, flushes: 0, largestGroup: 0, compactions: 0, refused: 0 }

  constructor(options: LogWriterOptions) {
    super()
    this.#path = options.path
    this.#policy = checkCompactionPolicy(options.compaction ?? DEFAULT_COMPACTION)
  }

  async onStart(): Promise<void> {
    const { file, read } = await LogFile.open(this.#path)
    this.#file = file
    this.#state = LogState.replay(read.entries)
    this.#recovered = { entries: read.entries.length, tornBytes: read.tornBytes }
    this.#pump() // a log recovered past the threshold is compacted before it grows further
  }

  /**
   * The current state, once every append received before this call is durable. The caller
   * becomes the owner: appends must carry the returned fence, and older fences are refused.
   */
  load(): DeferredReply<Loaded> {
    const reply = this.ctx.deferReply<Loaded>()
    this.#fence = randomUUID()
    this.#loads.push({ upTo: this.#accepted, fence: this.#fence, reply })
    this.#settleWaiters()
    return reply
  }

  /**
   * Appends the records as one entry (all or none of them survive a crash). Answers once they
   * are on disk. Rejects with `StaleFenceError` or `InvalidRecordError` without writing, or with
   * `LogWriteError` when the disk failed, in which case the writer restarts and re-reads the file.
   */
  append(fence: string, records: readonly LogRecord[]): DeferredReply<Appended> {
    const reply = this.ctx.deferReply<Appended>()
    if (fence !== this.#fence) {
      this.#counters.refused++
      reply.reject(new StaleFenceError())
      return reply
    }
    let checked: LogRecord[]
    try {
      checked = checkRecords(records)
    } catch (error) {
      this.#counters.refused++
      reply.reject(error)
      return reply
    }
    this.#waiting.push({ fence, records: checked, reply })
    this.#accepted++
    this.#pump()
    return reply
  }

  /** Answers once every append accepted before it is durable and no compaction is running. */
  sync(): DeferredReply<WriterStats> {
    const reply = this.ctx.deferReply<WriterStats>()
    this.#syncs.push({ upTo: this.#accepted, reply })
    this.#settleWaiters()
    return reply
  }

  stats(): WriterStats {
    return {
      path: this.#path,
      bytes: this.#file?.bytes ?? 0,
      logRecords: this.#state.logRecords,
      liveKeys: this.#state.liveKeys,
      ...this.#counters,
      recovered: this.#recovered,
    }
  }

  /** Starts the next I/O round, if none is running: compaction when due, else a flush. */
  #pump(): void {
    if (this.#closed || this.#running !== undefined) return
    if (shouldCompact(this.#state.logRecords, this.#state.liveKeys, this.#policy)) this.#startCompaction()
    else if (this.#waiting.length > 0) this.#startFlush()
    this.#settleWaiters()
  }

  #startFlush(): void {
    const batch = this.#waiting
    this.#waiting = []
    const done = this.#file!.append(encodeBatch(batch))
    this.#running = { kind: 'flush', batch, done }
    this.ctx.pipeToSelf(
      done,
      () => this.#flushed(batch),
      (error) => this.#ioFailed(error, batch),
    )
  }

  #flushed(batch: PendingAppend[]): void {
    if (this.#closed) return
    this.#running = undefined
    this.#commit(batch)
    this.#pump()
  }

  /** The batch is on disk: it becomes part of the state, and its appends are answered. */
  #commit(batch: PendingAppend[]): void {
    const flush = ++this.#counters.flushes
    for (const { fence, records, reply } of batch) {
      this.#state.apply(records)
      this.#counters.records += records.length
      reply.resolve({ fence, flush, group: batch.length })
    }
    this.#counters.appends += batch.length
    this.#counters.largestGroup = Math.max(this.#counters.largestGroup, batch.length)
  }

  #startCompaction(): void {
    const done = this.#file!.replace(this.#state.snapshot())
    this.#running = { kind: 'compaction', done }
    this.ctx.pipeToSelf(
      done,
      () => this.#compacted(),
      (error) => this.#ioFailed(error),
    )
  }

  #compacted(): void {
    if (this.#closed) return
    this.#running = undefined
    this.#state.compacted()
    this.#counters.compactions++
    this.#pump()
  }

  /**
   * After a failed write or fsync nothing is known about what reached the disk (and a later
   * fsync may report success for pages the kernel already dropped), so the writer does not
   * carry on: it fails, and its supervisor's restart re-reads the file, the one truth left.
   */
  #ioFailed(error: unknown, batch: PendingAppend[] = []): void {
    // Already stopping: `onStop` saw the failure and settled everything.
    if (this.#closed) return
    this.#failed = true
    this.#running = undefined
    const failure = new LogWriteError(error)
    for (const { reply } of batch) reply.reject(failure)
    throw failure
  }

  /** Answers the loads and syncs whose wait is over (each list is in `upTo` order). */
  #settleWaiters(): void {
    const durable = this.#counters.appends
    while (this.#loads.length > 0 && this.#loads[0]!.upTo <= durable) {
      const { fence, reply } = this.#loads.shift()!
      reply.resolve({ fence, entries: this.#state.entries() })
    }
    if (this.#running?.kind === 'compaction') return
    while (this.#syncs.length > 0 && this.#syncs[0]!.upTo <= durable) this.#syncs.shift()!.reply.resolve(this.stats())
  }

  /**
   * Stopping (or being replaced by a restart): finish the I/O in progress, write the appends
   * already accepted (stopping is no reason to lose them), answer everyone, close the file.
   * Completions of `pipeToSelf` cannot run any more, so this settles their work directly.
   */
  async onStop(): Promise<void> {
    this.#closed = true
    const running = this.#running
    this.#running = undefined
    if (running !== undefined) {
      const ok = await running.done.then(
        () => true,
        () => false,
      )
      if (!ok) this.#failed = true
      if (running.kind === 'flush') {
        if (ok) this.#commit(running.batch)
        else for (const { reply } of running.batch) reply.reject(new LogWriteError('the write in progress at stop failed'))
      } else if (ok) {
        this.#state.compacted()
        this.#counters.compactions++
      }
    }
    if (!this.#failed && this.#waiting.length > 0) {
      const batch = this.#waiting
      this.#waiting = []
      try {
        await this.#file?.append(encodeBatch(batch))
        this.#commit(batch)
      } catch (error) {
        this.#failed = true
        for (const { reply } of batch) reply.reject(new LogWriteError(error))
      }
    }
    const closed = new WriterClosedError()
    for (const { reply } of this.#waiting.splice(0)) reply.reject(closed)
    if (this.#failed) {
      for (const { reply } of [...this.#loads.splice(0), ...this.#syncs.splice(0)]) reply.reject(closed)
    } else {
      this.#settleWaiters()
    }
    await this.#file?.close()
    this.#file = undefined
  }
}

/** One entry per append (empty appends write nothing), concatenated into one write. */
function encodeBatch(batch: readonly PendingAppend[]): Buffer {
  return Buffer.concat(batch.filter(({ records }) => records.length > 0).map(({ records }) => encodeEntry(records)))
}
