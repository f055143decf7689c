import { stableHash } from '@troupe/core/internal'

/** The thread an entity lives on within its node: main when the node has no workers, else the worker its (type, key) hashes to. */
export function entityThread(storeId: string, workerCount: number): number {
  return workerCount === 0 ? 0 : 1 + (stableHash(storeId) % workerCount)
}
