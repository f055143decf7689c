import { Actor, type ActorLifecycle, type ActorRef, type DeferredReply } from 'troupe'
import { put, remove, type Appended, type Entry, type JsonValue, type Loaded, type LogRecord } from '../store/index.js'
import { checkRecord } from '../store/record.js'
import { newInstanceId, type Beat, type Beating } from './beat.js'
import { WriteUncertainError } from './errors.js'
import { exitWorker, spinForever } from './faults.js'
import type { KvLogWriter } from './kv-log-writer.js'

/** The answer to a set or delete: it is on disk. */
export type WriteAck = {
  readonly shard: string
  /** The writer's write+fsync round that made it durable (counted since the writer started). */
  readonly flush: number
  /** How many appends that round made durable together. */
  readonly group: number
}

export type ShardReport = {
  readonly shard: string
  readonly thread: number
  readonly instance: string
  readonly keys: number
  /** Keys this instance read back from the writer when it started. */
  readonly recoveredKeys: number
  /** Writes this instance made durable and acknowledged, and reads it answered. */
  readonly writes: number
  readonly reads: number
  /** Writes in flight to the writer. */
  readonly inFlight: number
  /** Times this instance lost track of its writes and read its map back from the writer. */
  readonly resyncs: number
}

type Write = { readonly record: LogRecord; readonly reply: DeferredReply<WriteAck> }

/**
 * One shard of the key-value store: the map of its keys, kept in memory, backed by one log
 * writer that owns the file. The router sends it every key whose hash falls in its share.
 *
 * A set or delete is sent to the writer and acknowledged only once the writer answers that it
 * is on disk; meanwhile the shard keeps serving (the append is piped back to it as a message).
 * Reads see committed values only: a key changes in the map when its write is durable, so a
 * read never returns a value that a crash could still take back.
 *
 * On start, and after every restart, `onStart` loads the map back from the writer: the file is
 * the truth, the map a cache of it. Loading also makes this instance the log's one owner (its
 * fence), so a late append of a previous instance is refused instead of landing after it.
 */
export class KvShard extends Actor<KvShard> implements ActorLifecycle, Beating {
  readonly #shard: string
  readonly #writer: ActorRef<KvLogWriter>
  readonly #instance = newInstanceId()
  #fence = ''
  readonly #values = new Map<string, JsonValue>()
  /** Writes sent to the writer and not yet answered, to fail them if this instance loses track. */
  readonly #inFlight = new Set<DeferredReply<WriteAck>>()
  /** Writes received while re-reading the map from the writer; sent once that is done. */
  #held: Write[] = []
  /** Counts the loads; an answer to an append sent before the latest load is ignored. */
  #epoch = 0
  #resyncing = false
  #resyncs = 0
  #recovered = 0
  #writes = 0
  #reads = 0
  #stopped = false

  constructor(shard: string, writer: ActorRef<KvLogWriter>) {
    super()
    this.#shard = shard
    this.#writer = writer
  }

  async onStart(): Promise<void> {
    this.#loaded(await this.#writer.ask.load())
    this.#recovered = this.#values.size
  }

  /** The committed value of `key`, or undefined when it has none. */
  get(key: string): JsonValue | undefined {
    this.#reads++
    return this.#values.get(key)
  }

  set(key: string, value: JsonValue): DeferredReply<WriteAck> {
    return this.#write(() => checkRecord(put(key, value)))
  }

  delete(key: string): DeferredReply<WriteAck> {
    return this.#write(() => checkRecord(remove(key)))
  }

  beat(): Beat {
    const resyncs = this.#resyncs === 0 ? '' : `, re-read ${this.#resyncs}× since`
    return { instance: this.#instance, thread: this.ctx.thread, detail: `${this.#values.size} keys (${this.#recovered} read back from the log at start${resyncs})` }
  }

  report(): ShardReport {
    return {
      shard: this.#shard,
      thread: this.ctx.thread,
      instance: this.#instance,
      keys: this.#values.size,
      recoveredKeys: this.#recovered,
      writes: this.#writes,
      reads: this.#reads,
      inFlight: this.#inFlight.size,
      resyncs: this.#resyncs,
    }
  }

  /** Every committed key and value, for the checks. */
  entries(): Entry[] {
    return [...this.#values]
  }

  /** Fault: process.exit(1) on the shard's worker. */
  crashWorker(): never {
    return exitWorker()
  }

  /** Fault: a handler stuck in a synchronous loop; the shard's worker stops answering. */
  hang(): never {
    return spinForever()
  }

  /** Replaced by a restart, or stopped: whatever is in flight or held is answered as uncertain. */
  onStop(): void {
    this.#stopped = true
    this.#epoch++
    const uncertain = new WriteUncertainError('the shard stopped or restarted with the write pending')
    this.#failInFlight(uncertain)
    for (const { reply } of this.#held.splice(0)) reply.reject(uncertain)
  }

  /**
   * Checks the record here (an untyped sender may send anything), so that a bad request is
   * refused without touching the log and without failing the shard.
   */
  #write(record: () => LogRecord): DeferredReply<WriteAck> {
    const reply = this.ctx.deferReply<WriteAck>()
    let checked: LogRecord
    try {
      checked = record()
    } catch (error) {
      reply.reject(error)
      return reply
    }
    if (this.#resyncing) this.#held.push({ record: checked, reply })
    else this.#send({ record: checked, reply })
    return reply
  }

  #send(write: Write): void {
    const epoch = this.#epoch
    this.#inFlight.add(write.reply)
    this.ctx.pipeToSelf(
      this.#writer.ask.append(this.#fence, [write.record]),
      (appended) => this.#durable(write, appended, epoch),
      (error) => this.#lostTrack(error, epoch),
    )
  }

  /**
   * The writer answers appends in the order it received them and its answers travel in order,
   * so these continuations run in write order, and the last write to a key is the one that stays.
   */
  #durable({ record, reply }: Write, appended: Appended, epoch: number): void {
    if (epoch !== this.#epoch) return // answered as uncertain already; the reload saw the write if it landed
    // The writer names the fence it accepted the append under: an answer for another is not ours.
    if (appended.fence !== this.#fence) return this.#lostTrack(new Error(`an append answer for fence ${appended.fence}, not ${this.#fence}`), epoch)
    this.#inFlight.delete(reply)
    if (record.deleted) this.#values.delete(record.key)
    else this.#values.set(record.key, record.value)
    this.#writes++
    reply.resolve({ shard: this.#shard, flush: appended.flush, group: appended.group })
  }

  /**
   * An append failed (the writer's worker died) or was refused (the writer restarted, so this
   * fence is no longer the owner's): this instance no longer knows what is on disk. The writes
   * in flight are answered as uncertain, and the map is read back from the writer, the one
   * truth; writes that arrive meanwhile wait for it.
   *
   * It re-reads rather than fails, on purpose. In a one-for-all restart the writer restarts
   * first, while this instance is still serving: its appends are refused until its own turn
   * comes. Failing on that would start another round of restarts for the same fault, whose
   * writer restart would refuse the next instance's appends in turn. If the re-read fails too,
   * the shard fails, and its supervisor restarts the pair.
   */
  #lostTrack(error: unknown, epoch: number): void {
    if (epoch !== this.#epoch) return // already re-reading since an earlier failure
    this.#epoch++
    this.#resyncing = true
    this.#resyncs++
    this.#failInFlight(new WriteUncertainError(error))
    const current = this.#epoch
    this.ctx.pipeToSelf(
      this.#writer.ask.load(),
      (loaded) => this.#resynced(loaded, current),
      (failure) => this.#resyncFailed(failure, current),
    )
  }

  #resynced(loaded: Loaded, epoch: number): void {
    if (this.#stopped || epoch !== this.#epoch) return
    this.#loaded(loaded)
    this.#resyncing = false
    for (const write of this.#held.splice(0)) this.#send(write)
  }

  /** Only a live, current re-read fails the shard: a late one of a replaced instance would fail its successor. */
  #resyncFailed(failure: unknown, epoch: number): void {
    if (this.#stopped || epoch !== this.#epoch) return
    throw new WriteUncertainError(failure)
  }

  #loaded({ fence, entries }: Loaded): void {
    this.#fence = fence
    this.#values.clear()
    for (const [key, value] of entries) this.#values.set(key, value)
  }

  #failInFlight(error: Error): void {
    for (const reply of this.#inFlight) reply.reject(error)
    this.#inFlight.clear()
  }
}
