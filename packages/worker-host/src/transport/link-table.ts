import { openThreadLink, type ChannelEnd } from '../link/thread-channel.js'
import type { Link } from '../link/link.js'
import { isRemoteKey } from './remote-key.js'
import type { Frames } from '../protocol/wire.js'
import { PeerLink, type LinkOwner } from './peer-link.js'
import { SpinWait } from './spin-wait.js'

/** How often settled batches are released on links that send nothing meanwhile, in ms. */
const RECLAIM_INTERVAL_MS = 250

export interface LinkTableOptions {
  readonly thread: number
  /** Reads what arrives on the links (the host). */
  readonly owner: Omit<LinkOwner, 'linkTouched'>
  /** Asks the system for a channel between threads `from` and `to`; each end arrives through `attach`. */
  readonly connect: (from: number, to: number) => void
  /** Runs at the start of each flush, before the batches go (credits owed are paid then). */
  readonly beforeFlush: () => void
  /** How long an idle thread polls its hot links before parking, in µs; 0: never (see `SpinWait`). */
  readonly busyWaitUs: number
  /** Whether this thread still has work queued (no spinning then). */
  readonly busy: () => boolean
  /** The transport to a thread of another node (see `RemotePeers`), by its link-table number. */
  readonly remoteLink?: (key: number) => Link
}

/**
 * A thread's links to the other threads, by thread: created on first use, flushed once per
 * turn (a microtask after the first frame), and swept for settled batches now and then.
 */
export class LinkTable implements LinkOwner {
  readonly #options: LinkTableOptions
  readonly #links = new Map<number, PeerLink>()
  #dirty: PeerLink[] = []
  #flushQueued = false
  readonly #spin: SpinWait | undefined
  /** Releases what workers have settled on links that saw no traffic since (see `PeerLink.flush`). */
  readonly #reclaimTimer: NodeJS.Timeout

  constructor(options: LinkTableOptions) {
    this.#options = options
    this.#reclaimTimer = setInterval(() => {
      for (const link of this.#links.values()) link.outbound?.reclaim()
    }, RECLAIM_INTERVAL_MS)
    this.#reclaimTimer.unref()
    this.#spin = options.busyWaitUs > 0 ? new SpinWait(options.busyWaitUs / 1000, options.busy) : undefined
  }

  /** The link to `thread`. Its frames wait in it until the system hands both ends their channel. */
  get(thread: number): PeerLink {
    return this.#links.get(thread) ?? this.#create(thread, true)
  }

  /** The link to `thread`, if this thread has one. */
  find(thread: number): PeerLink | undefined {
    return this.#links.get(thread)
  }

  /** Attaches this thread's end of a channel to `thread` (set up by the system). */
  attach(thread: number, end: ChannelEnd): void {
    const link = this.#links.get(thread) ?? this.#create(thread, false)
    link.attach(openThreadLink(end))
  }

  /** A new link to `thread`; `connect`: ask the system for its channel (not when one is arriving). */
  #create(thread: number, connect: boolean): PeerLink {
    const link = new PeerLink(thread, this)
    this.#links.set(thread, link)
    // A thread of another node is reached over NATS at once; one of this node through a channel main sets up.
    if (isRemoteKey(thread)) link.attach(this.#options.remoteLink!(thread))
    else if (connect) this.#options.connect(this.#options.thread, thread)
    return link
  }

  /** Forgets the link to `thread` (a thread of a node that is down), closing it. */
  drop(thread: number): void {
    this.#links.get(thread)?.close()
    this.#links.delete(thread)
  }

  requestFlush(): void {
    if (!this.#flushQueued) {
      this.#flushQueued = true
      queueMicrotask(this.flush)
    }
  }

  readonly flush = (): void => {
    this.#flushQueued = false
    this.#options.beforeFlush()
    const dirty = this.#dirty
    this.#dirty = []
    for (const link of dirty) link.flush()
    this.#spin?.spin(this.#links.values())
  }

  /** Closes every link (after a last flush by the caller). */
  close(): void {
    clearInterval(this.#reclaimTimer)
    for (const link of this.#links.values()) link.close()
    this.#links.clear()
  }

  // ---- LinkOwner ---------------------------------------------------------------------------------

  linkTouched(link: PeerLink): void {
    this.#dirty.push(link)
    this.requestFlush()
  }

  batchArrived(link: PeerLink, bytes: Uint8Array): void {
    this.#options.owner.batchArrived(link, bytes)
  }

  batchLost(link: PeerLink, bytes: Uint8Array): void {
    this.#options.owner.batchLost(link, bytes)
  }

  batchUnencodable(link: PeerLink, frames: Frames, error: unknown): void {
    this.#options.owner.batchUnencodable(link, frames, error)
  }
}
