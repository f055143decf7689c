import { join } from 'node:path'
import type { ActorRef, ActorSystem, GroupRouter } from 'troupe'
import type { CompactionPolicy } from '../store/index.js'
import { HeartbeatMonitor, type MonitorSettings, type WatchedTarget } from './heartbeat-monitor.js'
import type { KvShard } from './kv-shard.js'
import { SHARD_SUPERVISION, ShardSupervisor, type ShardMembers, type ShardPlan } from './shard-supervisor.js'

export type StorePlan = {
  readonly dataDir: string
  readonly shards: number
  readonly compaction: CompactionPolicy
}

export type Shard = ShardMembers & {
  readonly path: string
  /** Threads (1..N; 0 is main) of the shard's two actors. */
  readonly kvThread: number
  readonly writerThread: number
}

export type KvStore = {
  /** The store as clients see it: a consistent-hash router over the KV shards, keyed by the first argument. */
  readonly router: GroupRouter<KvShard>
  readonly shards: readonly Shard[]
}

export const kvName = (shard: string): string => `kv ${shard}`
export const writerName = (shard: string): string => `writer ${shard}`

/**
 * Each shard's KV actor and writer on workers of their own (shard i: workers 2i and 2i + 1), so
 * a fault in one kills or hangs only that actor's worker, and the one-for-all restart of its
 * partner is visible. Their supervisors and the router live on the main thread, which no fault
 * here touches. Spawned in a fixed order, one at a time (see the note on the ring below).
 */
export async function spawnStore(system: ActorSystem, plan: StorePlan): Promise<KvStore> {
  if (system.workers < plan.shards * 2) throw new RangeError(`${plan.shards} shards need ${plan.shards * 2} workers, the system has ${system.workers}`)
  const shards: Shard[] = []
  for (let i = 0; i < plan.shards; i++) {
    const shardPlan: ShardPlan = { shard: `s${i}`, path: join(plan.dataDir, `s${i}.log`), compaction: plan.compaction, kvWorker: 2 * i, writerWorker: 2 * i + 1 }
    const supervisor = await system.spawn(ShardSupervisor, { name: `shard-${shardPlan.shard}`, placement: 'main', args: [shardPlan], supervision: SHARD_SUPERVISION })
    const members = await supervisor.ask.members()
    // `placement.worker` counts workers from 0; thread numbers count them from 1.
    shards.push({ ...members, path: shardPlan.path, kvThread: shardPlan.kvWorker + 1, writerThread: shardPlan.writerWorker + 1 })
  }
  // A group router over the shards spawned above, rather than a pool router, so that each
  // shard's supervisor (one-for-all with its writer) is ours, not the router's. The ring places
  // routees by actor id, and ids follow spawn order: spawning the same way again (a cold
  // restart) gives every key the same shard, which is what makes the files readable again.
  const router = await system.router(
    shards.map((shard) => shard.kv),
    { strategy: 'consistent-hash', name: 'kv', placement: 'main', hashKey: { argument: 0 } },
  )
  return { router, shards }
}

/** The heartbeat monitor, on the main thread, watching every KV shard and writer. */
export function spawnMonitor(system: ActorSystem, store: KvStore, settings: MonitorSettings): Promise<ActorRef<HeartbeatMonitor>> {
  const targets: WatchedTarget[] = store.shards.flatMap((shard) => [
    { name: kvName(shard.shard), ref: shard.kv },
    { name: writerName(shard.shard), ref: shard.writer },
  ])
  return system.spawn(HeartbeatMonitor, { name: 'heartbeat', placement: 'main', args: [targets, settings] })
}
