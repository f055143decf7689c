import { MessageChannel, type MessagePort } from 'node:worker_threads'
import type { ResolvedPersistence } from '@troupe/core/internal'
import type { EntityConfig } from '../entity/thread-entities.js'
import type { EntityStore } from './store/entity-store.js'
import { openLmdbStore, type LmdbStore } from './store/lmdb-store.js'
import { MemoryStore } from './store/memory-store.js'
import { openNatsStore } from './store/nats-store.js'
import { PortStore, serveStore } from './store/store-over-port.js'

/**
 * How a worker reaches the system's store: it opens the LMDB directory itself, connects to NATS
 * itself, or talks to main's in-memory store over a port.
 */
export type WorkerPersistence =
  | { store: 'lmdb'; path: string; durability: 'sync' | 'process' }
  | { store: 'nats'; servers: string[]; bucket: string; replicas: number }
  | { store: 'memory'; port: MessagePort }

/**
 * The system's entity store, as each thread reaches it. LMDB is opened by every thread itself
 * (lmdb-js shares one environment among the threads of a process, and LMDB serialises writers);
 * so is NATS (each thread its own connection to the same buckets, fenced by the server's
 * compare-and-set); the in-memory store lives on the main thread, and each worker gets a port to it.
 */
export class SystemStore {
  readonly #options: ResolvedPersistence
  readonly #idleTimeoutMs: number
  #memory: MemoryStore | undefined
  readonly #served = new Set<() => void>()

  constructor(options: ResolvedPersistence, idleTimeoutMs: number) {
    this.#options = options
    this.#idleTimeoutMs = idleTimeoutMs
  }

  /** The main thread's entity configuration. */
  mainConfig(): EntityConfig {
    const options = this.#options
    if (options.store === 'memory') return { openStore: () => Promise.resolve(this.#memoryStore()), ownsStore: false, idleTimeoutMs: this.#idleTimeoutMs }
    if (options.store === 'nats') return { openStore: () => openNats(options), ownsStore: true, idleTimeoutMs: this.#idleTimeoutMs }
    return { openStore: () => openLmdbStore({ path: options.path, durability: options.durability }), ownsStore: true, idleTimeoutMs: this.#idleTimeoutMs }
  }

  /** What a new worker is given (a fresh port per worker for the in-memory store), and what to transfer. */
  forWorker(): { persistence: WorkerPersistence; transfer: MessagePort[] } {
    const options = this.#options
    if (options.store === 'lmdb' || options.store === 'nats') return { persistence: structuredClone(options), transfer: [] }
    const { port1, port2 } = new MessageChannel()
    const stop = serveStore(this.#memoryStore(), port1)
    this.#served.add(stop)
    return { persistence: { store: 'memory', port: port2 }, transfer: [port2] }
  }

  #memoryStore(): MemoryStore {
    return (this.#memory ??= new MemoryStore())
  }

  /** After the threads have closed: stops serving workers and releases the in-memory store. */
  async close(): Promise<void> {
    for (const stop of this.#served) stop()
    this.#served.clear()
    await this.#memory?.close()
  }
}

/** A worker's entity configuration, from what it was given. */
export function workerEntityConfig(persistence: WorkerPersistence, idleTimeoutMs: number): EntityConfig {
  if (persistence.store === 'memory') return { openStore: () => Promise.resolve(new PortStore(persistence.port)), ownsStore: true, idleTimeoutMs }
  if (persistence.store === 'nats') return { openStore: () => openNats(persistence), ownsStore: true, idleTimeoutMs }
  // A worker's LMDB handle is not closed at shutdown but settled: the thread is terminated next,
  // and lmdb releases the handle of a thread that ends (see `LmdbStore.settle`).
  return {
    openStore: () => openLmdbStore({ path: persistence.path, durability: persistence.durability }),
    ownsStore: true,
    release: (store) => (store as LmdbStore).settle(),
    idleTimeoutMs,
  }
}

/** This thread's own NATS store and connection (closed when the thread closes its store). */
function openNats(options: { servers: string[]; bucket: string; replicas: number }): Promise<EntityStore> {
  return openNatsStore({ servers: options.servers, bucket: options.bucket, replicas: options.replicas })
}
