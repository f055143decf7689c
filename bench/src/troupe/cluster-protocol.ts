// What the child node of the cluster.* benchmarks and the bench process say to each other over
// IPC, and the settings both nodes start with. A module of its own so that neither side imports
// the other's code.

/** The child node's name; the bench process's own system is node 'a'. */
export const CHILD_NODE = 'b'
export const PARENT_NODE = 'a'

/** The names under which the child spawns its actors, on its only worker, for node 'a' to look up. */
export const RECEIVER_NAME = 'receiver'
export const INCREMENTER_NAME = 'incrementer'

/** Membership timing of both nodes. `cluster.down.detection.ms` states these as its setting. */
export interface ClusterTiming {
  readonly heartbeatMs: number
  readonly downAfterMs: number
}

/** The child's arguments, in this order on its command line. */
export interface ChildArgs extends ClusterTiming {
  readonly servers: string
  /**
   * The NATS store's bucket prefix when the pair shards entities (cluster.failover.ms): the child
   * then persists to NATS and allows the entity module. Absent (no argument) otherwise.
   */
  readonly bucket?: string
}

/** Child → parent. */
export type ChildMessage =
  /** Its system is up, a cluster member, with both named actors spawned. */
  | { readonly type: 'ready'; readonly id: number }
  /** Starting failed, or an actor failed or a worker crashed later: the run fails with this. */
  | { readonly type: 'failed'; readonly reason: string }
  /** The answer to `report`: the dead letters its system has recorded, by reason. */
  | { readonly type: 'report'; readonly deadLetters: Readonly<Record<string, number>> }

/** Parent → child: asks for a `report`. The child never stops by itself: the parent kills it. */
export type ParentMessage = { readonly type: 'report' }
