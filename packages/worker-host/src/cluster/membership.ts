import type { NatsConnection, Subscription } from '@nats-io/transport-node'
import { ClusterError } from '@troupe/core'
import type { ResolvedClusterOptions } from '@troupe/core/internal'
import { ALIVE, decodeMember, DOWNED, encodeMember, HELLO, LEAVE, membersSubject, NO_SHARDS, type MemberMessage } from '../protocol/cluster-wire.js'
import type { PlacementMember } from './entity-placement.js'

/** A live node of the cluster, as this node sees it. */
export interface ClusterMember {
  /** Its name (`cluster.node`). */
  readonly node: string
  /** Its id for this run: the `node` part of the addresses of its actors. A restarted node has a new one. */
  readonly id: number
  /** When its process joined, in ms since the epoch. */
  readonly startedAt: number
}

/** This node's view of itself: joining, a member, declared down (by the others, or cut off from NATS), or gone. */
export type MemberState = 'joining' | 'up' | 'down' | 'left'

export interface MembershipEvents {
  up(member: ClusterMember): void
  down(member: ClusterMember, reason: string): void
  /** This node is down: the others have declared it so, or it was cut off from NATS for `downAfterMs`. */
  selfDown(reason: string): void
  /** The nodes that shard entities changed (after the join, an up, a down, this node's own down). */
  placementChanged(members: PlacementMember[]): void
}

/**
 * Membership by heartbeats on one NATS subject (SWIM-like in spirit, without its gossip: NATS
 * already fans every heartbeat out to every node). Each node publishes ALIVE every
 * `heartbeatMs`; a node not heard from for `downAfterMs` is declared down and its id is
 * quarantined: what it says later is ignored, and it is told (DOWNED) so that it stops acting as
 * a member. A node that comes back must restart, with a new id (Akka's rule: a downed node never
 * rejoins as itself). A node that restarts under the same name replaces its former incarnation at
 * once (the older one is declared down, reason `restarted`).
 */
export class Membership {
  readonly #nc: NatsConnection
  readonly #options: ResolvedClusterOptions
  readonly #self: ClusterMember
  readonly #events: MembershipEvents
  readonly #subject: string
  readonly #members = new Map<number, ClusterMember & { lastSeen: number; shards: number }>()
  /** This node's worker count if it shards entities, else NO_SHARDS (announced in HELLO and ALIVE). */
  readonly #shards: number
  /** Ids declared down: never members again. */
  readonly #quarantined = new Set<number>()
  #subscription: Subscription | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  #state: MemberState = 'joining'
  /** A node with this node's name found while joining: the join fails. */
  #conflict: ClusterMember | undefined
  /** Since when NATS has been unreachable (undefined: connected). */
  #disconnectedAt: number | undefined
  /** When the last tick ran: a much later tick means this process was not running (frozen, or its event loop blocked). */
  #lastTick = Date.now()

  constructor(nc: NatsConnection, options: ResolvedClusterOptions, self: ClusterMember, events: MembershipEvents, shards = NO_SHARDS) {
    this.#nc = nc
    this.#shards = shards
    this.#options = options
    this.#self = self
    this.#events = events
    this.#subject = membersSubject(options.name)
  }

  /** How often this node heartbeats and judges the others. */
  get #tickMs(): number {
    return Math.max(1, Math.min(this.#options.heartbeatMs, Math.floor(this.#options.downAfterMs / 3)))
  }

  get state(): MemberState {
    return this.#state
  }

  get self(): ClusterMember {
    return this.#self
  }

  /** The live nodes this node knows of, itself first. */
  members(): ClusterMember[] {
    const strip = ({ node, id, startedAt }: ClusterMember): ClusterMember => ({ node, id, startedAt })
    return [strip(this.#self), ...[...this.#members.values()].map(strip)]
  }

  /** The live nodes that shard entities, this one included while it is up: where entities are placed. */
  placement(): PlacementMember[] {
    if (this.#state !== 'up') return []
    const all = [{ id: this.#self.id, node: this.#self.node, shards: this.#shards }, ...this.#members.values()]
    return all.filter((member) => member.shards !== NO_SHARDS).map(({ id, node, shards }) => ({ id, node, workers: shards }))
  }

  /**
   * Announces this node and learns the others: they answer HELLO at once, and the node waits
   * one heartbeat period (at most 250 ms) for the answers. Rejects with `ClusterError` when a live
   * node already has this node's name.
   */
  async join(): Promise<void> {
    this.#subscription = this.#nc.subscribe(this.#subject, {
      callback: (error, msg) => {
        if (!error) this.#heard(msg.data)
      },
    })
    this.#publish([HELLO, this.#self.node, this.#self.id, this.#self.startedAt, this.#shards])
    await this.#nc.flush()
    await new Promise((resolve) => setTimeout(resolve, Math.min(this.#options.heartbeatMs, 250)))
    if (this.#conflict) {
      this.#subscription.unsubscribe()
      this.#state = 'left'
      throw new ClusterError(`another live node is named ${this.#self.node} in cluster ${this.#options.name} (id ${this.#conflict.id}, started ${new Date(this.#conflict.startedAt).toISOString()}): node names must be unique`)
    }
    this.#state = 'up'
    this.#publish([ALIVE, this.#self.node, this.#self.id, this.#self.startedAt, this.#shards])
    this.#lastTick = Date.now()
    this.#timer = setInterval(() => this.#tick(), this.#tickMs)
    this.#timer.unref()
    // The members found while joining are not reported as node-up (nobody can have subscribed to
    // the system's events yet): `members()` has them; events report what changes afterwards.
    this.#events.placementChanged(this.placement())
    void this.#watchConnection()
  }

  /** Tells the others this node leaves (they remove it now) and stops. Idempotent. */
  async leave(): Promise<void> {
    if (this.#state === 'left') return
    const wasMember = this.#state === 'up'
    this.#state = 'left'
    clearInterval(this.#timer)
    if (wasMember && !this.#nc.isClosed()) {
      this.#publish([LEAVE, this.#self.node, this.#self.id, this.#self.startedAt])
      await this.#nc.flush().catch(() => undefined)
    }
    this.#subscription?.unsubscribe()
  }

  #publish(message: MemberMessage): void {
    try {
      this.#nc.publish(this.#subject, encodeMember(message))
    } catch {
      // A closed or draining connection: the watcher reports what that means for membership.
    }
  }

  #tick(): void {
    const now = Date.now()
    const gap = now - this.#lastTick
    this.#lastTick = now
    if (this.#state !== 'up') return
    if (gap >= this.#options.downAfterMs) {
      // This process did not run for that long: the silence it would see is its own, not the
      // others'. It does not judge them this time (they judged it: they will say so, DOWNED).
      for (const member of this.#members.values()) member.lastSeen = now
    }
    // A node cut off gives up before the others can declare it down. They do so at the earliest
    // `downAfterMs` after its last heartbeat, which left at most a tick before the cut; this node
    // sees the cut at its next tick. Three ticks short of `downAfterMs` (one, at the smallest
    // `downAfterMs` of three ticks), it has stopped its sharded entities before any other node may
    // take their leases over. A silent cut (no TCP reset) is seen only when NATS's pings fail.
    const tick = this.#tickMs
    if (this.#disconnectedAt !== undefined && now - this.#disconnectedAt >= Math.max(tick, this.#options.downAfterMs - 3 * tick)) {
      this.#selfDown(`cut off from NATS for ${now - this.#disconnectedAt} ms (downAfterMs ${this.#options.downAfterMs})`)
      return
    }
    this.#publish([ALIVE, this.#self.node, this.#self.id, this.#self.startedAt, this.#shards])
    for (const member of [...this.#members.values()]) {
      const silent = now - member.lastSeen
      if (silent >= this.#options.downAfterMs) this.#down(member, `no heartbeat for ${silent} ms (downAfterMs ${this.#options.downAfterMs})`)
    }
  }

  #heard(bytes: Uint8Array): void {
    const message = decodeMember(bytes)
    if (!message || this.#state === 'left') return
    const [signal, node, id, startedAt, extra] = message
    const target = extra
    if (id === this.#self.id) {
      if (node !== this.#self.node) this.#conflict ??= { node, id, startedAt } // two nodes drew one id: as unlikely as 1 in 2^31
      return
    }
    if (signal === DOWNED) {
      if (target === this.#self.id && this.#state === 'up') this.#selfDown(`declared down by node ${node}`)
      return
    }
    if (this.#quarantined.has(id)) {
      // It was declared down and still speaks: tell it (it must not act as a member any more).
      if (signal !== LEAVE && this.#state === 'up') this.#publish([DOWNED, this.#self.node, this.#self.id, this.#self.startedAt, id])
      return
    }
    if (node === this.#self.node) {
      // Another process with this node's name. While joining: a member (ALIVE), or a joiner that
      // started first, takes the name. Once up: answer a joiner, so that it sees the name is taken.
      if (this.#state === 'joining') {
        if (signal !== HELLO || startedAt < this.#self.startedAt || (startedAt === this.#self.startedAt && id < this.#self.id)) this.#conflict ??= { node, id, startedAt }
      } else if (this.#state === 'up' && signal === HELLO) {
        this.#publish([ALIVE, this.#self.node, this.#self.id, this.#self.startedAt, this.#shards])
      }
      return
    }
    if (signal === HELLO) {
      // A joiner is not a member until its first ALIVE (its name may be taken); it learns who is here from the answers.
      if (this.#state === 'up') this.#publish([ALIVE, this.#self.node, this.#self.id, this.#self.startedAt, this.#shards])
      return
    }
    if (signal === LEAVE) {
      const member = this.#members.get(id)
      if (member) this.#down(member, 'left the cluster')
      return
    }
    const known = this.#members.get(id)
    if (known) {
      known.lastSeen = Date.now()
    } else {
      // The same name under a new id: that node restarted, so its former incarnation is gone.
      for (const member of [...this.#members.values()]) if (member.node === node) this.#down(member, 'restarted (a new incarnation joined)')
      const member = { node, id, startedAt, lastSeen: Date.now(), shards: extra ?? NO_SHARDS }
      this.#members.set(id, member)
      if (this.#state === 'up') {
        this.#events.up(member)
        if (member.shards !== NO_SHARDS) this.#events.placementChanged(this.placement())
      }
    }
  }

  #down(member: ClusterMember & { shards: number }, reason: string): void {
    this.#members.delete(member.id)
    this.#quarantined.add(member.id)
    this.#events.down(member, reason)
    if (member.shards !== NO_SHARDS && this.#state === 'up') this.#events.placementChanged(this.placement())
  }

  #selfDown(reason: string): void {
    this.#state = 'down'
    clearInterval(this.#timer)
    for (const member of this.#members.values()) this.#quarantined.add(member.id)
    this.#members.clear()
    this.#events.selfDown(reason)
    this.#events.placementChanged([])
  }

  /** Follows the connection: a disconnection that lasts `downAfterMs` makes this node declare itself down (see #tick). */
  async #watchConnection(): Promise<void> {
    for await (const status of this.#nc.status()) {
      if (status.type === 'disconnect') this.#disconnectedAt ??= Date.now()
      else if (status.type === 'reconnect') this.#disconnectedAt = undefined
    }
    // The connection closed for good: unless this node is leaving, it is cut off from now on.
    if (this.#state === 'up') this.#disconnectedAt ??= Date.now()
  }
}
