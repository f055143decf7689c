import type { Link, LinkListener } from '../../link/link.js'
import type { SlabRegistration } from '../../transport/ledger.js'
import type { SimNetwork } from './sim-network.js'

/**
 * One end of a simulated channel, on simulated thread `thread`, to `peer`. What it sends does
 * not arrive by itself: it waits in the network's queue for this direction, and the network's
 * seeded scheduler decides when it is delivered (in order, as a port would).
 */
export class SimLink implements Link {
  listener: LinkListener | undefined
  /** This end was closed, its thread died, or the peer went away: nothing is sent any more. */
  done = false
  /** The other end (set by `SimNetwork.channel`). */
  other!: SimLink

  constructor(
    readonly network: SimNetwork,
    readonly thread: number,
    readonly peer: number,
  ) {}

  open(listener: LinkListener): void {
    this.listener = listener
    this.network.wake()
  }

  send(bytes: Uint8Array): void {
    if (!this.done) this.network.post(this, { kind: 'batch', bytes })
  }

  share(registration: SlabRegistration): void {
    if (!this.done) this.network.post(this, { kind: 'slab', registration })
  }

  close(): void {
    if (this.done) return
    this.done = true
    // As a port does: what was sent before still arrives, then the peer learns it is gone.
    this.network.post(this, { kind: 'gone' }, true)
  }
}

/** What travels on a simulated channel. */
export type SimItem = { readonly kind: 'batch' | 'lost'; readonly bytes: Uint8Array } | { readonly kind: 'slab'; readonly registration: SlabRegistration } | { readonly kind: 'gone' }
