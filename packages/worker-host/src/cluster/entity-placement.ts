import { stableHash } from '@troupe/core/internal'
import { entityThread } from '../entity/entity-thread.js'

/** A live node that holds sharded entities, as membership announces it. */
export interface PlacementMember {
  /** Its id for this run (the `node` of its addresses). */
  readonly id: number
  /** Its name: what placement hashes, so that a restarted node gets its entities back. */
  readonly node: string
  /** Its worker count: its entities are spread over its workers as a single node's are (0: its main thread). */
  readonly workers: number
}

/** Where an entity lives: a node, and the thread of that node its store id hashes to. */
export interface EntityHome {
  readonly node: number
  readonly thread: number
}

/** MurmurHash3's finaliser: FNV-1a alone spreads keys that differ in their last bytes poorly. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16)
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * One thread's view of where sharded entities live: rendezvous (highest random weight) hashing of
 * each store id over the live nodes that shard entities, by node name. When a node leaves, only
 * its keys move (each to the node that scored second for it); when one joins, it takes about
 * 1/n of every node's keys. Every thread of every node computes the same answer from the same
 * members; views differ only while a membership change travels (a heartbeat or two), which the
 * lease of each key covers (see EntityLeases).
 *
 * `epoch` changes with every update, so entity refs find their target again (RefRuntime).
 */
export class EntityPlacement {
  #members: readonly PlacementMember[] = []
  /** Bumped on every update; entity refs compare it to the one they found their target under. */
  epoch = 0
  /** False until the first update: before its node has joined, a thread knows of no node. */
  known = false

  /** The nodes that shard entities, as membership last announced them (empty: this node is down). */
  get members(): readonly PlacementMember[] {
    return this.#members
  }

  update(members: readonly PlacementMember[]): void {
    this.#members = [...members].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))
    this.known = true
    this.epoch++
  }

  /** Whether node `id` is a live member (its leases are its own to release). */
  isLive(id: number): boolean {
    return this.#members.some((member) => member.id === id)
  }

  /** Where `storeId` lives now, or undefined when no node is up to hold it (this node is down, or has not joined). */
  home(storeId: string): EntityHome | undefined {
    let best: PlacementMember | undefined
    let bestScore = -1
    for (const member of this.#members) {
      const score = mix(stableHash(`${member.node}\u0000${storeId}`))
      if (score > bestScore) {
        best = member
        bestScore = score
      }
    }
    return best && { node: best.id, thread: entityThread(storeId, best.workers) }
  }
}
