import { InvalidOptionError } from '../errors/errors.js'
import { ActorRefImpl, type ActorRef } from '../ref/actor-ref.js'

/**
 * Where a new actor goes.
 * - `'local'`: the spawning thread. The default of `ctx.spawn`: the child is created at once on its
 *   parent's thread and supervised there, without a round trip to the main thread. From
 *   `system.spawn` (on the main thread) it is `'main'`.
 * - `'round-robin'`: the next worker in turn (the default of `system.spawn`).
 * - `'least-loaded'`: the worker with the lowest load: fewest messages waiting, then lowest event-loop utilisation (in steps of 0.25), then fewest actors.
 * - `'main'`: the main thread, for actors that own sockets, the terminal or other main-only resources.
 * - `{ worker: i }`: pinned to worker `i` (0-based among workers).
 * - `{ colocateWith: ref }`: the thread of another actor, so chatty pairs skip the cross-thread hop.
 * - `{ node: 'b' }`: a top-level actor on node `b` of the cluster (`system.spawn` only), placed there
 *   as that node places its own (round-robin) and supervised by its guardian; see docs/cluster.md.
 * - `{ hash: key }`: a worker chosen by a stable hash of `key`.
 */
export type Placement =
  | 'local'
  | 'round-robin'
  | 'least-loaded'
  | 'main'
  | { readonly worker: number }
  | { readonly colocateWith: ActorRef }
  | { readonly node: string }
  | { readonly hash: string | number }

/** Placement after validation, in the form the scheduler consumes. */
export type ResolvedPlacement =
  | { kind: 'local' }
  | { kind: 'round-robin' }
  | { kind: 'least-loaded' }
  | { kind: 'main' }
  | { kind: 'worker'; worker: number }
  | { kind: 'colocate'; actorId: number; thread: number }
  | { kind: 'node'; node: string }
  | { kind: 'hash'; key: string }

export function resolvePlacement(placement: unknown, workerCount: number): ResolvedPlacement {
  const expected = `'local', 'round-robin', 'least-loaded', 'main', { worker: 0..${workerCount - 1} }, { colocateWith: ref }, { hash: key } or { node: name }`
  if (placement === undefined || placement === 'round-robin') return { kind: 'round-robin' }
  if (placement === 'local') return { kind: 'local' }
  if (placement === 'least-loaded') return { kind: 'least-loaded' }
  if (placement === 'main') return { kind: 'main' }
  if (typeof placement === 'object' && placement !== null) {
    if ('worker' in placement) {
      const worker = (placement as { worker: unknown }).worker
      if (typeof worker === 'number' && Number.isInteger(worker) && worker >= 0 && worker < workerCount) return { kind: 'worker', worker }
      throw new InvalidOptionError('placement.worker', `an integer from 0 to ${workerCount - 1}`, worker)
    }
    if ('colocateWith' in placement) {
      const ref = (placement as { colocateWith: unknown }).colocateWith
      if (ref instanceof ActorRefImpl) return { kind: 'colocate', actorId: ref.id, thread: ref.home }
      throw new InvalidOptionError('placement.colocateWith', 'an ActorRef', ref)
    }
    if ('node' in placement) {
      const node = (placement as { node: unknown }).node
      if (typeof node === 'string' && node.length > 0) return { kind: 'node', node }
      throw new InvalidOptionError('placement.node', "a node's name", node)
    }
    if ('hash' in placement) {
      const key = (placement as { hash: unknown }).hash
      if (typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key))) return { kind: 'hash', key: String(key) }
      throw new InvalidOptionError('placement.hash', 'a string or finite number', key)
    }
  }
  throw new InvalidOptionError('placement', expected, placement)
}

/** FNV-1a: stable across processes and Node versions, unlike anything seeded. */
export function stableHash(key: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
