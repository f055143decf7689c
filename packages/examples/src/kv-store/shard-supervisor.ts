import { Actor, type ActorLifecycle, type ActorRef, type SupervisionOptions } from 'troupe'
import type { CompactionPolicy } from '../store/index.js'
import { KvLogWriter } from './kv-log-writer.js'
import { KvShard } from './kv-shard.js'

/** Where one shard's two actors go, and its file. Workers count from 0 (`placement.worker`). */
export type ShardPlan = {
  readonly shard: string
  readonly path: string
  readonly compaction: CompactionPolicy
  readonly kvWorker: number
  readonly writerWorker: number
}

export type ShardMembers = {
  readonly shard: string
  readonly kv: ActorRef<KvShard>
  readonly writer: ActorRef<KvLogWriter>
}

/**
 * How a shard supervisor treats its two children. One-for-all: the KV shard's map is a cache
 * of the writer's file, and the writer's fence names the shard instance that owns the file, so
 * when either one fails (or its worker dies or hangs) both start again, the writer first (it
 * re-reads the file), then the shard (it loads the map back from the writer). Restarts keep
 * the children's refs, so the router in front of the shards never needs updating. Generous
 * intensity: the demonstration restarts each pair a few times within seconds on purpose.
 */
export const SHARD_SUPERVISION: SupervisionOptions = { strategy: 'one-for-all', maxRestarts: 10, withinMs: 10_000 }

/**
 * The parent of one shard: its log writer, then its KV shard, each pinned to a worker. It has no
 * other work: it exists so that the pair has a supervisor of its own, with `SHARD_SUPERVISION`.
 * It lives on the main thread, which no fault here takes down, so it is never restarted itself
 * (a restart would stop its children and spawn new ones under new refs).
 */
export class ShardSupervisor extends Actor implements ActorLifecycle {
  readonly #plan: ShardPlan
  #members: ShardMembers | undefined

  constructor(plan: ShardPlan) {
    super()
    this.#plan = plan
  }

  async onStart(): Promise<void> {
    const plan = this.#plan
    // The writer first: the shard loads its map from it in its own `onStart`.
    const writer = await this.ctx.spawn(KvLogWriter, { placement: { worker: plan.writerWorker }, args: [{ path: plan.path, compaction: plan.compaction }] })
    const kv = await this.ctx.spawn(KvShard, { placement: { worker: plan.kvWorker }, args: [plan.shard, writer] })
    this.#members = { shard: plan.shard, kv, writer }
  }

  members(): ShardMembers {
    if (this.#members === undefined) throw new Error(`shard ${this.#plan.shard} has not started`)
    return this.#members
  }
}
