// The allow-list of both nodes of the cluster.* benchmarks: the bench actors (Receiver,
// CreditSender, Incrementer) and the cluster's own (RemoteAsker). One constant, so the two
// processes cannot drift apart.
import { BENCH_ACTORS } from './system.js'

export const CLUSTER_ACTORS = new URL('./cluster-actors.js', import.meta.url)

export const CLUSTER_BENCH_ACTORS: readonly URL[] = [BENCH_ACTORS, CLUSTER_ACTORS]
