import { HashRing, keyHash } from './hash-ring.js'
import type { RoutingStrategy } from './router-options.js'

interface Slot<R> {
  readonly routee: R
  /** Messages routed to it whose processing it has not reported yet (tracked strategies only). */
  inFlight: number
}

/**
 * A router's routees and the choice of routee per message, for every strategy. Plain data, no
 * threads: the router's cell forwards to what this picks, and reports completions back.
 */
export class RoutingTable<R extends { readonly id: number; readonly name?: string | undefined }> {
  readonly #slots: Slot<R>[] = []
  readonly #byId = new Map<number, Slot<R>>()
  readonly #ring: HashRing | undefined
  #next = 0

  constructor(
    readonly strategy: RoutingStrategy,
    options: { virtualNodes: number; prefetch: number },
    readonly random: () => number = Math.random,
  ) {
    this.prefetch = options.prefetch
    this.#ring = strategy === 'consistent-hash' ? new HashRing(options.virtualNodes) : undefined
  }

  readonly prefetch: number

  /** Whether routees report each processed message (the router must then mark what it forwards). */
  get tracked(): boolean {
    return this.strategy === 'smallest-mailbox' || this.strategy === 'balancing'
  }

  get size(): number {
    return this.#slots.length
  }

  routees(): R[] {
    return this.#slots.map((slot) => slot.routee)
  }

  has(id: number): boolean {
    return this.#byId.has(id)
  }

  add(routee: R): boolean {
    if (this.#byId.has(routee.id)) return false
    const slot = { routee, inFlight: 0 }
    this.#slots.push(slot)
    this.#byId.set(routee.id, slot)
    this.#ring?.reset(this.#slots.map((s) => ringMember(s.routee)))
    return true
  }

  remove(id: number): R | undefined {
    const slot = this.#byId.get(id)
    if (!slot) return undefined
    this.#byId.delete(id)
    this.#slots.splice(this.#slots.indexOf(slot), 1)
    this.#ring?.reset(this.#slots.map((s) => ringMember(s.routee)))
    return slot.routee
  }

  /**
   * The routee for one message (`key` is used by consistent-hash), or undefined when there is
   * none, or (balancing) when every routee already holds `prefetch` messages.
   */
  pick(key: unknown): R | undefined {
    const slots = this.#slots
    if (slots.length === 0) return undefined
    switch (this.strategy) {
      case 'round-robin':
      case 'broadcast':
        return slots[this.#next++ % slots.length]!.routee
      case 'random':
        return slots[Math.floor(this.random() * slots.length)]!.routee
      case 'consistent-hash':
        return this.#byId.get(this.#ring!.owner(keyHash(key))!)!.routee
      case 'smallest-mailbox':
        return this.#leastLoaded(Infinity)
      case 'balancing':
        return this.#leastLoaded(this.prefetch)
    }
  }

  /**
   * The routee with the fewest messages in flight, below `limit`. Ties go round the table from
   * where the previous pick stopped, so equally idle routees share the work.
   */
  #leastLoaded(limit: number): R | undefined {
    const slots = this.#slots
    let best: Slot<R> | undefined
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[(this.#next + i) % slots.length]!
      if (slot.inFlight < limit && (best === undefined || slot.inFlight < best.inFlight)) {
        best = slot
        if (slot.inFlight === 0) break
      }
    }
    if (best) this.#next = (slots.indexOf(best) + 1) % slots.length
    return best?.routee
  }

  /**
   * Whether a message can be forwarded now: true unless (balancing) every routee already holds
   * `prefetch` messages. With no routee at all it is true too: the message is then undeliverable.
   */
  hasRoom(): boolean {
    if (this.strategy !== 'balancing' || this.#slots.length === 0) return true
    return this.#slots.some((slot) => slot.inFlight < this.prefetch)
  }

  /** A message was forwarded to `id` (tracked strategies). */
  dispatched(id: number): void {
    const slot = this.#byId.get(id)
    if (slot) slot.inFlight++
  }

  /** `id` finished a message the router forwarded. Reports from removed routees are ignored. */
  completed(id: number): void {
    const slot = this.#byId.get(id)
    if (slot && slot.inFlight > 0) slot.inFlight--
  }

  inFlight(id: number): number {
    return this.#byId.get(id)?.inFlight ?? 0
  }
}

/** A routee's place on the hash ring: by name when it has one (stable across runs), else by id. */
function ringMember(routee: { readonly id: number; readonly name?: string | undefined }): { id: number; label: string } {
  return { id: routee.id, label: routee.name === undefined ? `#${routee.id}` : `name:${routee.name}` }
}
