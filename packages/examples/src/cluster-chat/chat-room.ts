import { Actor, type ActorRef } from 'troupe'
import type { ChatMessage, Joined } from '../chat/types.js'
import type { ClusterChatUser } from './chat-user.js'

/** What the room reports about itself: for the launcher's summary. */
export interface RoomState {
  readonly members: readonly string[]
  /** Posts taken since the start. */
  readonly taken: number
  /** The messages it keeps (the last `historySize`), as "from#clientSeq". */
  readonly kept: readonly string[]
}

/** The members a `nodeDown` removed. */
export interface Dropped {
  readonly users: readonly string[]
  /** Messages the room had told each of them: how many were actually received, only their node knew. */
  readonly told: Readonly<Record<string, number>>
  /** The members left. */
  readonly members: readonly string[]
}

/**
 * The chat room of the cluster: its members may live on any node, and it reaches each through the
 * ref the member sent when joining (a ref of another node works here like a local one). The room
 * gives every post the next `seq` and tells it to every member, as the one-process chat's room
 * does; unlike it, the room keeps only the last `historySize` messages, and forgets the members of
 * a node that went down.
 */
export class ClusterChatRoom extends Actor {
  readonly #name: string
  readonly #historySize: number
  readonly #members = new Map<string, ActorRef<ClusterChatUser>>()
  /** Messages told to each member: a tell is never acknowledged, so this is all the room knows. */
  readonly #told = new Map<string, number>()
  /** The last `historySize` messages, oldest first. */
  #recent: ChatMessage[] = []
  #taken = 0

  constructor(name: string, historySize: number) {
    super()
    this.#name = name
    this.#historySize = historySize
  }

  /**
   * The backlog is told *before* the user becomes a member, so it reaches the user ahead of every
   * live message: both come from this room, and per-sender order holds across nodes too.
   */
  join(user: string, ref: ActorRef<ClusterChatUser>): Joined {
    ref.tell.history([...this.#recent])
    this.#members.set(user, ref)
    this.#told.set(user, this.#recent.length)
    return { seq: this.#taken, history: this.#recent.length }
  }

  post(from: string, clientSeq: number, text: string): void {
    // A post from a user the room no longer has (its node was declared down) is refused: the
    // room would otherwise broadcast for a member nobody can answer to.
    if (!this.#members.has(from)) return
    const message: ChatMessage = { room: this.#name, seq: ++this.#taken, from, clientSeq, text }
    this.#recent.push(message)
    if (this.#recent.length > this.#historySize) this.#recent = this.#recent.slice(-this.#historySize)
    for (const [user, member] of this.#members) {
      member.tell.message(message)
      this.#told.set(user, (this.#told.get(user) ?? 0) + 1)
    }
  }

  /**
   * A node went down: drop every member whose ref lives there. A ref's `address.node` is the id of
   * the node's run (a new one on every restart), so a restarted node's users are never mistaken
   * for the dead ones. Without this, every broadcast would go on producing a dead letter per
   * member of the dead node.
   */
  nodeDown(nodeId: number): Dropped {
    const users: string[] = []
    const told: Record<string, number> = {}
    for (const [user, ref] of this.#members) {
      if (ref.address.node !== nodeId) continue
      this.#members.delete(user)
      users.push(user)
      told[user] = this.#told.get(user) ?? 0
      this.#told.delete(user)
    }
    return { users, told, members: [...this.#members.keys()] }
  }

  state(): RoomState {
    return { members: [...this.#members.keys()], taken: this.#taken, kept: this.#recent.map((m) => `${m.from}#${m.clientSeq}`) }
  }
}
