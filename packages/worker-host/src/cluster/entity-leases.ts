import type { NatsConnection } from '@nats-io/transport-node'
import type { KV } from '@nats-io/kv'
import { ClusterError } from '@troupe/core'
import { decodeLease, encodeLease, leasesBucket } from '../protocol/cluster-wire.js'
import { isWrongLastSequence, within } from '../persistence/store/nats-bucket.js'
import { encodeKeyText } from '../persistence/store/nats-keys.js'

/** The lease was taken (its KV revision, to release it with), or a live node holds it. */
export type LeaseGrant = { readonly revision: number; readonly holder?: undefined } | { readonly holder: number; readonly revision?: undefined }

/** Conditional writes that lose a race are tried again this often before the take fails. */
const MAX_RACES = 5

export interface EntityLeasesOptions {
  /** The thread's NATS connection, once up. */
  connection(): Promise<NatsConnection>
  /** The NATS store's bucket prefix: the leases are in `<prefix>-leases`. */
  readonly bucket: string
  readonly replicas: number
  /** This node's id and name, written into the leases it holds. */
  readonly self: { readonly id: number; readonly node: string }
  /** Whether a node is a live member: the lease of one that is not is taken over. */
  isLive(id: number): boolean
  /** Bound of each KV call, in ms. */
  readonly timeoutMs: number
}

/**
 * One activation per entity key in the whole cluster: a node activates a sharded entity only
 * while it holds the key's lease, a key in the NATS KV bucket of leases beside the store's (Orleans'
 * grain directory, Akka's shard coordinator's allocation, as one compare-and-set). Taking it is a
 * write conditional on the key's last revision: it succeeds when no lease is held, when this node
 * held it, or when its holder is not a live member any more (down, left, or restarted under a new
 * id); otherwise the holder is named and the message goes there. Passivation releases it (a
 * deletion conditional on the revision taken). Every take and release is a revision of the key,
 * so its history shows who held it when.
 *
 * A holder that is down but not yet seen as down by the taker keeps it until it is (at most
 * `downAfterMs` plus a heartbeat). A holder cut off from NATS declares itself down after
 * `downAfterMs` and passivates; the others take its leases once they see it down. The store's
 * writes are fenced by their own revisions, so even a holder that went on writing after being
 * taken over could not overwrite a newer state.
 */
export class EntityLeases {
  readonly #options: EntityLeasesOptions
  #bucket: Promise<KV> | undefined

  constructor(options: EntityLeasesOptions) {
    this.#options = options
  }

  /** The bucket of leases, created on first use (idempotent across nodes: same name, same settings). */
  #kv(): Promise<KV> {
    this.#bucket ??= (async () => {
      const [{ Kvm }, { jetstream }] = await Promise.all([import('@nats-io/kv'), import('@nats-io/jetstream')])
      const js = jetstream(await this.#options.connection(), { timeout: this.#options.timeoutMs })
      const name = leasesBucket(this.#options.bucket)
      return within(new Kvm(js).create(name, { history: 16, replicas: this.#options.replicas }), this.#options.timeoutMs * 2, `opening bucket ${name}`)
    })().catch((error: unknown) => {
      this.#bucket = undefined
      throw new ClusterError(`the entity lease bucket cannot be opened: ${(error as Error).message}`, { cause: error })
    })
    return this.#bucket
  }

  /** Takes the lease of `storeId` for this node, or names the live node that holds it; `ClusterError` when NATS does not answer in time. */
  async acquire(storeId: string): Promise<LeaseGrant> {
    try {
      return await this.#acquire(storeId)
    } catch (error) {
      if (error instanceof ClusterError) throw error
      throw new ClusterError(`the lease of entity ${storeId} cannot be taken: ${(error as Error).message}`, { cause: error })
    }
  }

  async #acquire(storeId: string): Promise<LeaseGrant> {
    const kv = await this.#kv()
    const key = encodeKeyText(storeId)
    const { self, isLive, timeoutMs } = this.#options
    const value = encodeLease([self.id, self.node])
    for (let race = 0; race < MAX_RACES; race++) {
      const entry = await within(kv.get(key), timeoutMs, `reading the lease of ${storeId}`)
      const held = entry !== null && entry.operation === 'PUT' ? decodeLease(entry.value) : undefined
      if (held !== undefined && held[0] !== self.id && isLive(held[0])) return { holder: held[0] }
      // Free, ours from before (a release that failed), or its holder is gone: taken, if nobody wrote since.
      try {
        return { revision: await kv.put(key, value, { previousSeq: entry?.revision ?? 0, timeout: timeoutMs }) }
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error
      }
    }
    throw new ClusterError(`the lease of entity ${storeId} changed hands ${MAX_RACES} times while node ${self.node} tried to take it`)
  }

  /** Lets the lease go, unless someone took it since `revision` (then it is theirs). A failure is left: the next taker sees this node gone, or this node takes it again. */
  async release(storeId: string, revision: number): Promise<void> {
    try {
      const kv = await this.#kv()
      await within(kv.delete(encodeKeyText(storeId), { previousSeq: revision }), this.#options.timeoutMs, `releasing the lease of ${storeId}`)
    } catch {
      // See above: a lease left behind names this node, and is taken over once it is gone.
    }
  }
}
