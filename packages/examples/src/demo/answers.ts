// What the demo's actors answer each other, and guards that check an answer is the one asked for.
//
// Why the guards: every answer names what it answers, and anything else is treated as "no
// answer": the chunk is sent again, which is always safe. troupe numbers each worker
// generation's asks in its own range, so a reply meant for a dead worker's ask cannot settle an
// ask of its replacement; the guards are defence in depth for a demo that promises exactly once.

/** A consumer's verdict on one chunk, answering the producer's `endOfChunk(chunk)`. */
export interface ChunkAnswer {
  readonly kind: 'chunk'
  readonly pipeline: number
  readonly chunk: number
  /** `committed`: the ledger holds the chunk. `incomplete`: the consumer did not get all its values, in order. `unrecorded`: it did, but the ledger did not answer. */
  readonly status: 'committed' | 'incomplete' | 'unrecorded'
}

/** The ledger's answer to `record(pipeline, chunk, …)`. */
export interface RecordAnswer {
  readonly kind: 'record'
  readonly pipeline: number
  readonly chunk: number
  /** `duplicate`: it already held this chunk (a retransmission), and counted it once. */
  readonly status: 'recorded' | 'duplicate'
}

/** Where a pipeline stands in the ledger: what a restarted producer resumes from. */
export interface Position {
  readonly kind: 'position'
  readonly pipeline: number
  /** One past the highest chunk recorded: where new chunks start. */
  readonly frontier: number
  /** Chunks below the frontier that are not recorded: sent again first, in order. */
  readonly missing: readonly number[]
}

/** An actor's answer to `ping()`: where it runs and whether it is a restarted instance. */
export interface Health {
  readonly kind: 'health'
  readonly thread: number
  readonly restarted: boolean
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

export function isChunkAnswer(value: unknown, pipeline: number, chunk: number): value is ChunkAnswer {
  return isRecord(value) && value['kind'] === 'chunk' && value['pipeline'] === pipeline && value['chunk'] === chunk
}

export function isRecordAnswer(value: unknown, pipeline: number, chunk: number): value is RecordAnswer {
  return isRecord(value) && value['kind'] === 'record' && value['pipeline'] === pipeline && value['chunk'] === chunk
}

export function isPosition(value: unknown, pipeline: number): value is Position {
  return isRecord(value) && value['kind'] === 'position' && value['pipeline'] === pipeline && Array.isArray(value['missing'])
}
