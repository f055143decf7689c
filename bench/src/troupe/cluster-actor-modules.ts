// The allow-list of both nodes of the cluster.* benchmarks: the bench actors (Receiver,
// CreditSender, Incrementer) and the cluster's own (RemoteAsker), plus the sharded entities
// when the pair shards them (cluster.failover.ms). One place, so the two processes cannot drift
// apart.
import { BENCH_ACTORS } from './system.js'

export const CLUSTER_ACTORS = new URL('./cluster-actors.js', import.meta.url)
export const CLUSTER_ENTITIES = new URL('./cluster-entities.js', import.meta.url)

export const CLUSTER_BENCH_ACTORS: readonly URL[] = [BENCH_ACTORS, CLUSTER_ACTORS]

/** A node's allow-list: with the entity module only when the pair shards entities (no store otherwise). */
export function clusterBenchActors(shardsEntities: boolean): readonly URL[] {
  return shardsEntities ? [...CLUSTER_BENCH_ACTORS, CLUSTER_ENTITIES] : CLUSTER_BENCH_ACTORS
}
