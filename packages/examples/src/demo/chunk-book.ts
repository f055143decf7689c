import { chunkSum } from './chunks.js'

/** What the ledger holds for one pipeline, as plain data. */
export interface PipelineLedger {
  readonly pipeline: number
  /** Distinct chunks recorded. */
  readonly chunks: number
  /** One past the highest chunk recorded. Equal to `chunks` exactly when there is no gap. */
  readonly frontier: number
  /** Values and their sum over the distinct chunks: a duplicate adds nothing. */
  readonly count: number
  readonly sum: number
  /** Records of a chunk already held: retransmissions, counted here and nowhere else. */
  readonly duplicates: number
  /** Records whose count or sum is not the chunk's closed form (never expected). */
  readonly malformed: number
  /** Duplicates whose count or sum differ from the first record (never expected). */
  readonly conflicts: number
}

/**
 * One pipeline's chunks, idempotent per chunk: the first record of a chunk counts, a later one
 * is a duplicate. Plain class, so the ledger actor stays a thin message layer over it.
 */
export class ChunkBook {
  readonly #chunks = new Map<number, { readonly count: number; readonly sum: number }>()
  #frontier = 0
  #count = 0
  #sum = 0
  #duplicates = 0
  #malformed = 0
  #conflicts = 0

  constructor(
    readonly pipeline: number,
    readonly chunkSize: number,
  ) {}

  get chunks(): number {
    return this.#chunks.size
  }

  /** Returns false for a duplicate. */
  record(chunk: number, count: number, sum: number): boolean {
    const held = this.#chunks.get(chunk)
    if (held !== undefined) {
      this.#duplicates++
      if (held.count !== count || held.sum !== sum) this.#conflicts++
      return false
    }
    if (count !== this.chunkSize || sum !== chunkSum(chunk, this.chunkSize)) this.#malformed++
    this.#chunks.set(chunk, { count, sum })
    this.#frontier = Math.max(this.#frontier, chunk + 1)
    this.#count += count
    this.#sum += sum
    return true
  }

  get frontier(): number {
    return this.#frontier
  }

  /** Chunks below the frontier not recorded yet, in order. */
  missing(): number[] {
    const gaps: number[] = []
    for (let chunk = 0; chunk < this.#frontier; chunk++) if (!this.#chunks.has(chunk)) gaps.push(chunk)
    return gaps
  }

  summary(): PipelineLedger {
    return {
      pipeline: this.pipeline,
      chunks: this.#chunks.size,
      frontier: this.#frontier,
      count: this.#count,
      sum: this.#sum,
      duplicates: this.#duplicates,
      malformed: this.#malformed,
      conflicts: this.#conflicts,
    }
  }
}
