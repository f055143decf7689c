// Actors of kv.actors.*: workers import this module, so it holds the actor classes and the client's key-to-shard function.
import { Actor, type ActorRef } from 'troupe'
import { ABSENT, TaskOps } from './kv-workload.js'

/** One shard of the in-memory store: a plain Map, only ever touched by its own handlers. */
export class KvBenchShard extends Actor {
  readonly #values = new Map<number, number>()

  set(key: number, value: number): void {
    this.#values.set(key, value)
  }

  delete(key: number): void {
    this.#values.delete(key)
  }

  get(key: number): number {
    return this.#values.get(key) ?? ABSENT
  }

  clear(): void {
    this.#values.clear()
  }

  entries(): [number, number][] {
    return [...this.#values]
  }

  thread(): number {
    return this.ctx.thread
  }
}

/**
 * The shard of a key when the client picks it: a multiplicative hash, so that, as with the
 * router's ring, a task's keys spread over all the shards. (Key modulo the shard count would
 * send all of a task's keys to the shard on its own worker, since task t owns t, t + W, ...)
 */
export function owner(key: number, shards: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 0) % shards
}

export type KvClientReport = {
  readonly staleReads: number
  readonly model: readonly (readonly [key: number, value: number])[]
}

/**
 * One task of the workload: asks every op of it, `window` at a time, of the one target it is
 * given (the router), or with several targets (the shards themselves) of the one that owns the
 * key by `owner`. Its ops to one key may be in flight together and still apply
 * in order: they all travel the same path to the key's shard, and each hop keeps per-sender
 * FIFO. So a get reads exactly the model as it stood when the get was issued.
 */
export class KvBenchClient extends Actor {
  async run(targets: readonly ActorRef<KvBenchShard>[], task: number, ops: number, seed: number, window: number): Promise<KvClientReport> {
    if (targets.length === 0) throw new Error('no target to ask')
    const taskOps = new TaskOps(task, seed)
    let issued = 0
    let staleReads = 0
    const lane = async (): Promise<void> => {
      while (issued < ops) {
        issued++
        const op = taskOps.next()
        const store = targets.length === 1 ? targets[0]! : targets[owner(op.key, targets.length)]!
        if (op.kind === 'set') await store.ask.set(op.key, op.value)
        else if (op.kind === 'delete') await store.ask.delete(op.key)
        else {
          const expected = taskOps.expected(op.key)
          if ((await store.ask.get(op.key)) !== expected) staleReads++
        }
      }
    }
    await Promise.all(Array.from({ length: window }, lane))
    return { staleReads, model: [...taskOps.model] }
  }

  thread(): number {
    return this.ctx.thread
  }
}
