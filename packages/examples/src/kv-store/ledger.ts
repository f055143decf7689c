import type { Entry, JsonValue } from '../store/index.js'

/**
 * The clients' record of what the store acknowledged, on the main thread: for every key, the
 * value of its last acknowledged set, or nothing after an acknowledged delete. This is what the
 * store must hold after any fault, exactly.
 */
export class Ledger {
  readonly #values = new Map<string, JsonValue>()
  /** Every key ever acknowledged, deleted ones included: those must stay absent. */
  readonly #touched = new Set<string>()
  #sets = 0
  #deletes = 0

  set(key: string, value: JsonValue): void {
    this.#values.set(key, value)
    this.#touched.add(key)
    this.#sets++
  }

  delete(key: string): void {
    this.#values.delete(key)
    this.#touched.add(key)
    this.#deletes++
  }

  expected(key: string): JsonValue | undefined {
    return this.#values.get(key)
  }

  /** Acknowledged writes: sets plus deletes. */
  get writes(): number {
    return this.#sets + this.#deletes
  }
  get sets(): number {
    return this.#sets
  }
  get deletes(): number {
    return this.#deletes
  }
  /** Keys that hold a value. */
  get liveKeys(): number {
    return this.#values.size
  }

  touchedKeys(): string[] {
    return [...this.#touched]
  }

  entries(): Entry[] {
    return [...this.#values]
  }
}

/** Values compare as JSON: they went through msgpack and the log's JSON, key order included. */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return a === undefined || b === undefined ? a === b : JSON.stringify(a) === JSON.stringify(b)
}
