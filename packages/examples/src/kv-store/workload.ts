import type { ActorRef } from 'troupe'
import type { JsonValue } from '../store/index.js'
import type { KvShard } from './kv-shard.js'
import { sameValue, type Ledger } from './ledger.js'
import { delay, describeError, errorCode, isRetryable, MAX_TRIES, retryDelayMs } from './retry.js'
import { mulberry32 } from '../shared/seeded-random.js'

export type WorkloadPlan = {
  readonly clients: number
  readonly keysPerClient: number
  readonly seed: number
  /** Deadline of each request (see `retry.ts` for why a timed-out request is retried). */
  readonly timeoutMs: number
}

/** A read that did not return the last acknowledged value of its key. */
export type StaleRead = { readonly key: string; readonly expected: JsonValue | undefined; readonly got: JsonValue | undefined }

export type GaveUp = { readonly key: string; readonly op: string; readonly error: string }

export type WorkloadTotals = {
  readonly reads: number
  readonly retries: number
  /** Retries by the error that caused them. */
  readonly retriesByCode: Readonly<Record<string, number>>
  readonly staleReads: readonly StaleRead[]
  readonly gaveUp: readonly GaveUp[]
}

/** Shares of the operations: 60% sets, 15% deletes, 25% reads. */
const SET_SHARE = 0.6
const DELETE_SHARE = 0.15

/**
 * Clients on the main thread, each owning its own keys and sending one request at a time through
 * the router: a set, a delete or a read, of a random key of its own. Each write is recorded in
 * the ledger once acknowledged, and each read is compared with the ledger at once. Since no one
 * else writes a client's keys, every read must return exactly the last acknowledged value,
 * during the faults as much as after them.
 */
export class Workload {
  readonly #store: ActorRef<KvShard>
  readonly #plan: WorkloadPlan
  readonly #ledger: Ledger
  #stopping = false
  #loops: Promise<void>[] = []
  #waiters: { readonly writes: number; readonly resolve: () => void; readonly reject: (error: Error) => void }[] = []
  #reads = 0
  readonly #retries = new Map<string, number>()
  readonly #staleReads: StaleRead[] = []
  readonly #gaveUp: GaveUp[] = []

  constructor(store: ActorRef<KvShard>, plan: WorkloadPlan, ledger: Ledger) {
    this.#store = store.with({ timeoutMs: plan.timeoutMs })
    this.#plan = plan
    this.#ledger = ledger
  }

  start(): void {
    this.#loops = Array.from({ length: this.#plan.clients }, (_, client) => this.#client(client))
  }

  /** Resolves once the ledger holds `writes` acknowledged writes; rejects if a client gave up first. */
  whenAcknowledged(writes: number): Promise<void> {
    if (this.#ledger.writes >= writes) return Promise.resolve()
    if (this.#gaveUp.length > 0) return Promise.reject(new Error(`a client gave up: ${this.#gaveUp[0]!.error}`))
    return new Promise((resolve, reject) => this.#waiters.push({ writes, resolve, reject }))
  }

  /** Lets every client finish its request in progress, then returns the totals. */
  async stop(): Promise<WorkloadTotals> {
    this.#stopping = true
    await Promise.all(this.#loops)
    return {
      reads: this.#reads,
      retries: [...this.#retries.values()].reduce((sum, n) => sum + n, 0),
      retriesByCode: Object.fromEntries(this.#retries),
      staleReads: [...this.#staleReads],
      gaveUp: [...this.#gaveUp],
    }
  }

  async #client(client: number): Promise<void> {
    const name = `c${client}`
    const random = mulberry32(this.#plan.seed * 1_000 + client)
    const keys = Array.from({ length: this.#plan.keysPerClient }, (_, i) => `${name}/k${i}`)
    let seq = 0
    while (!this.#stopping) {
      const key = keys[Math.floor(random() * keys.length)]!
      const roll = random()
      const op = roll < SET_SHARE ? 'set' : roll < SET_SHARE + DELETE_SHARE ? 'delete' : 'get'
      try {
        if (op === 'set') {
          const value = { by: name, n: ++seq }
          await this.#retrying(() => this.#store.ask.set(key, value))
          this.#ledger.set(key, value)
          this.#acknowledged()
        } else if (op === 'delete') {
          await this.#retrying(() => this.#store.ask.delete(key))
          this.#ledger.delete(key)
          this.#acknowledged()
        } else {
          const got = await this.#retrying(() => this.#store.ask.get(key))
          this.#reads++
          const expected = this.#ledger.expected(key)
          if (!sameValue(got, expected)) this.#staleReads.push({ key, expected, got })
        }
      } catch (error) {
        this.#gaveUp.push({ key, op, error: describeError(error) })
        for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error(`client ${name} gave up on ${op} ${key}: ${describeError(error)}`))
        return
      }
    }
  }

  async #retrying<T>(request: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await request()
      } catch (error) {
        if (!isRetryable(error) || tries >= MAX_TRIES) throw error
        const code = errorCode(error)
        this.#retries.set(code, (this.#retries.get(code) ?? 0) + 1)
        await delay(retryDelayMs(tries))
      }
    }
  }

  #acknowledged(): void {
    const writes = this.#ledger.writes
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.writes > writes) return true
      waiter.resolve()
      return false
    })
  }
}
