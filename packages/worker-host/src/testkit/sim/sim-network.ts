import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import { SimLink, type SimItem } from './sim-link.js'
import { SimulationBusyError } from '../errors.js'

/** The items waiting on one direction of one simulated channel. */
interface Direction {
  readonly from: SimLink
  readonly items: SimItem[]
}

/**
 * The deterministic scheduler of simulated threads. Every batch one simulated thread sends
 * another waits here, per direction, in order. One step delivers the head of one direction,
 * chosen by a seeded generator among those that can receive; the receiving host processes it
 * (its dispatcher turns run in microtasks and `setImmediate`s on this thread), and the next step
 * starts only once every host is idle again. So the seed alone decides the order in which
 * batches reach each thread, and with it the interleaving of the whole program.
 */
export class SimNetwork {
  readonly seed: number
  /** One line per step: what was delivered (or dropped, crashed, hung) from where to where. */
  readonly trace: string[] = []
  readonly #rng: RandomGenerator
  /** Directions in the order they were created: the choice among them is by index, so it must be stable. */
  readonly #directions: Direction[] = []
  readonly #byLink = new Map<SimLink, Direction>()
  /** Threads that hang: they receive nothing and what they sent is held. */
  readonly #frozen = new Set<number>()
  /** Directions `from>to` whose next batch is dropped, with how many to drop. */
  readonly #drops = new Map<string, number>()
  #running = false
  /** Waiters for idleness, with the step by which they give up. */
  #idle: Array<{ resolve: () => void; reject: (error: Error) => void; until: number }> = []
  #busy: () => boolean = () => false
  #step = 0

  /**
   * `settleTimeoutMs`: how long, in real time, a wait for idleness lasts before it gives up (see
   * `SimulationBusyError`). Only a program that never goes idle reaches it, so it changes no run.
   */
  constructor(
    seed: number,
    readonly settleTimeoutMs: number,
  ) {
    this.seed = seed
    // Neighbouring seeds (1, 2, 3, ...) must start far apart: xoroshiro's first draws from raw
    // small seeds follow a pattern, so the seed is mixed first (splitmix32's finaliser).
    this.#rng = xoroshiro128plus(mixSeed(seed))
  }

  /** Tells the network how to see whether any simulated thread still has work queued. */
  watchBusy(busy: () => boolean): void {
    this.#busy = busy
  }

  /** A new channel between simulated threads `a` and `b`: the end for `a`, the end for `b`. */
  channel(a: number, b: number): [SimLink, SimLink] {
    const end1 = new SimLink(this, a, b)
    const end2 = new SimLink(this, b, a)
    end1.other = end2
    end2.other = end1
    for (const end of [end1, end2]) {
      const direction = { from: end, items: [] }
      this.#directions.push(direction)
      this.#byLink.set(end, direction)
    }
    return [end1, end2]
  }

  /** Queues `item` from `from` to its peer. `last`: the end's own close, sent even once it is done. */
  post(from: SimLink, item: SimItem, last = false): void {
    if (from.done && !last) return
    if (item.kind === 'batch') {
      const key = `${from.thread}>${from.peer}`
      const drops = this.#drops.get(key)
      if (drops !== undefined) {
        if (drops <= 1) this.#drops.delete(key)
        else this.#drops.set(key, drops - 1)
        // Lost in its turn: what came before still arrives first (see LinkListener.lost).
        item = { kind: 'lost', bytes: item.bytes }
      }
    }
    this.#byLink.get(from)!.items.push(item)
    this.wake()
  }

  /** The next batch `from` sends `to` is lost (at-least-once tests). */
  dropNextBatch(from: number, to: number): void {
    const key = `${from}>${to}`
    this.#drops.set(key, (this.#drops.get(key) ?? 0) + 1)
  }

  /** `thread` hangs: it receives nothing more, and what it sends is held. */
  freeze(thread: number): void {
    this.#frozen.add(thread)
    this.trace.push(`hang ${thread}`)
  }

  /**
   * `thread` died: its ends are closed, what waited for it is lost, and each peer learns it is
   * gone after what the dead thread had sent before (as a closed port behaves).
   */
  threadDied(thread: number): void {
    this.#frozen.delete(thread)
    this.trace.push(`crash ${thread}`)
    for (const direction of this.#directions) {
      const end = direction.from
      if (end.peer === thread) {
        direction.items.length = 0
        end.done = true
      } else if (end.thread === thread && !end.done) {
        end.done = true
        direction.items.push({ kind: 'gone' })
      }
    }
    this.wake()
  }

  /** Starts stepping, if it is not already. */
  wake(): void {
    if (this.#running) return
    this.#running = true
    setImmediate(this.#loop)
  }

  /**
   * Resolves once nothing is left to deliver and every simulated thread is idle; rejects with
   * `SimulationBusyError` if that has not happened within `settleTimeoutMs` of real time.
   */
  settled(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#idle.push({ resolve, reject, until: performance.now() + this.settleTimeoutMs })
      this.wake()
    })
  }

  readonly #loop = async (): Promise<void> => {
    for (;;) {
      // What the last step started runs to the end first: its microtasks, and dispatcher turns
      // that yielded with setImmediate (queued before this one).
      await new Promise((resolve) => setImmediate(resolve))
      if (this.#idle.length > 0) this.#giveUp()
      const ready = this.#directions.filter((direction) => this.#deliverable(direction))
      if (ready.length === 0) {
        if (this.#busy()) continue
        this.#running = false
        const idle = this.#idle
        this.#idle = []
        for (const waiter of idle) waiter.resolve()
        return
      }
      const direction = ready.length === 1 ? ready[0]! : ready[uniformInt(this.#rng, 0, ready.length - 1)]!
      this.#deliver(direction)
    }
  }

  #giveUp(): void {
    const now = performance.now()
    if (this.#idle.every((waiter) => waiter.until > now)) return
    const late = this.#idle.filter((waiter) => waiter.until <= now)
    this.#idle = this.#idle.filter((waiter) => waiter.until > now)
    for (const waiter of late) waiter.reject(new SimulationBusyError(this.settleTimeoutMs))
  }

  #deliverable(direction: Direction): boolean {
    if (direction.items.length === 0) return false
    const end = direction.from
    const receiver = end.other
    if (this.#frozen.has(end.thread) || this.#frozen.has(end.peer)) return false
    if (receiver.listener === undefined) return false
    if (receiver.done) {
      direction.items.length = 0 // closed at the receiving end: a port drops what arrives
      return false
    }
    return true
  }

  #deliver(direction: Direction): void {
    const item = direction.items.shift()!
    const end = direction.from
    const listener = end.other.listener!
    const route = `${end.thread}>${end.peer}`
    this.#step++
    if (item.kind === 'batch') {
      this.trace.push(`${route} ${item.bytes.length}B ${fingerprint(item.bytes)}`)
      listener.batch(item.bytes)
    } else if (item.kind === 'lost') {
      this.trace.push(`drop ${route} ${item.bytes.length}B ${fingerprint(item.bytes)}`)
      listener.lost?.(item.bytes)
    } else if (item.kind === 'slab') {
      listener.slab(item.registration)
    } else {
      end.other.done = true
      this.trace.push(`gone ${route}`)
      listener.peerGone()
    }
  }

  /** An index in [0, n) from the seed. */
  choose(n: number): number {
    return uniformInt(this.#rng, 0, n - 1)
  }

  /** A number in [0, 1) from the seed. */
  random(): number {
    return uniformFloat64(this.#rng)
  }

  /** Steps taken so far (deliveries, not counting drops). */
  get steps(): number {
    return this.#step
  }
}

function mixSeed(seed: number): number {
  let z = (Math.imul(seed | 0, 0x9e3779b9) + Math.floor(seed / 2 ** 32)) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) | 0
}

/** A short content hash of a batch (FNV-1a), so two traces can be compared line by line. */
function fingerprint(bytes: Uint8Array): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}
