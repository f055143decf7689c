/**
 * One NATS KV bucket, as the NATS entity store uses it: reads, conditional writes, purges and a
 * key listing, each with a bounded wait. Kept apart from the store so that the store and its
 * journal speak of keys and revisions only, and a refused condition is a value (`undefined`,
 * `false`), not an exception to tell apart from a failure.
 *
 * Only types are imported from the NATS packages here: the store loads them (`import()`) when
 * it is opened, so a system that does not use NATS never loads them.
 */
import type { JetStreamManager } from '@nats-io/jetstream'
import type { KV } from '@nats-io/kv'

/** The last message of a key: a value, or a deletion marker (`live: false`). `revision` is the KV revision (the stream sequence). */
export type BucketEntry = { readonly live: true; readonly value: Uint8Array; readonly revision: number } | { readonly live: false; readonly revision: number }

/** JetStream's "wrong last sequence" API errors: a write's `Nats-Expected-Last-Subject-Sequence` did not hold. */
const WRONG_LAST_SEQUENCE = new Set([10071, 10164])

export class NatsBucket {
  readonly name: string
  readonly #kv: KV
  readonly #jsm: JetStreamManager
  readonly #timeoutMs: number

  constructor(name: string, kv: KV, jsm: JetStreamManager, timeoutMs: number) {
    this.name = name
    this.#kv = kv
    this.#jsm = jsm
    this.#timeoutMs = timeoutMs
  }

  async get(key: string): Promise<BucketEntry | undefined> {
    const entry = await this.#kv.get(key)
    if (entry === null) return undefined
    if (entry.operation !== 'PUT') return { live: false, revision: entry.revision }
    return { live: true, value: entry.value, revision: entry.revision }
  }

  /**
   * Writes `value` under `key`; with `previousSeq`, only if the key's last message is that
   * revision (0: the key has no message at all). Resolves with the new revision, or undefined
   * when the condition did not hold (nothing was written).
   */
  async put(key: string, value: Uint8Array, previousSeq?: number): Promise<number | undefined> {
    try {
      return await this.#kv.put(key, value, previousSeq === undefined ? { timeout: this.#timeoutMs } : { previousSeq, timeout: this.#timeoutMs })
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined
      throw error
    }
  }

  /** Writes a deletion marker for `key` if its last message is revision `previousSeq`; false if not. */
  async remove(key: string, previousSeq: number): Promise<boolean> {
    try {
      await this.#kv.delete(key, { previousSeq })
      return true
    } catch (error) {
      if (isWrongLastSequence(error)) return false
      throw error
    }
  }

  /**
   * Removes every message of the keys `pattern` matches (`*` one token, `>` the rest), leaving
   * no marker: unconditional, for what no writer fences on.
   */
  async purge(pattern: string): Promise<void> {
    await this.#jsm.streams.purge(`KV_${this.name}`, { filter: `$KV.${this.name}.${pattern}` })
  }

  /** Every key with a value (not deleted). Fails if the listing stalls for the timeout. */
  async keys(): Promise<string[]> {
    const listing = await this.#kv.keys()
    const iterator = listing[Symbol.asyncIterator]()
    const keys: string[] = []
    try {
      for (;;) {
        const next = await within(iterator.next(), this.#timeoutMs, 'listing the keys')
        if (next.done) return keys
        keys.push(next.value)
      }
    } finally {
      listing.stop()
    }
  }
}

export function isWrongLastSequence(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  return typeof code === 'number' && WRONG_LAST_SEQUENCE.has(code)
}

/** `promise`, or a rejection once `ms` have passed without it settling. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** `work` for every item, at most `window` at a time, the results in the items' order. */
export async function mapWindowed<T, R>(items: readonly T[], window: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(window, items.length) }, worker))
  return results
}
