/**
 * Links to threads of other nodes are kept in a thread's link table under numbers of their own,
 * from here up (see `RemotePeers`): the `thread` of what arrives from a remote peer (an envelope's
 * sender thread) is such a number, so replies, credits and dead letters go back over the same
 * link as for a thread of this node. They never collide with thread numbers (at most 2047, see
 * actor-ids.ts).
 */
export const REMOTE_BASE = 1 << 20

/** Whether a link-table number stands for a thread of another node. */
export function isRemoteKey(thread: number): boolean {
  return thread >= REMOTE_BASE
}
