import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import type { ChatUser } from './chat-user.js'
import type { ChatMessage, Joined } from './types.js'

/**
 * A chat room. Posts from any thread land in its mailbox, and the order in which it takes them
 * is the room's one total order: each gets the next `seq` and is told to every member. A member
 * hears all of it from one sender, this room, so per-sender FIFO gives every member the same
 * sequence. A sender's own posts reach the room in the order sent (per-sender FIFO again), so
 * the total order keeps each sender's order.
 */
export class ChatRoom extends Actor {
  readonly #name: string
  readonly #historySize: number
  readonly #members = new Map<string, ActorRef<ChatUser>>()
  readonly #log: ChatMessage[] = []
  #refused = 0
  #waiting: Array<{ readonly count: number; readonly reply: DeferredReply<number> }> = []

  constructor(name: string, historySize: number) {
    super()
    this.#name = name
    this.#historySize = historySize
  }

  /**
   * The backlog is told to the user *before* it becomes a member, so it reaches the user ahead of
   * every live message the room sends afterwards: same sender, same order.
   */
  join(user: string, ref: ActorRef<ChatUser>): Joined {
    const history = this.#log.slice(Math.max(0, this.#log.length - this.#historySize))
    ref.tell.history(this.#name, history)
    this.#members.set(user, ref)
    return { seq: this.#log.length, history: history.length }
  }

  leave(user: string): boolean {
    return this.#members.delete(user)
  }

  post(from: string, clientSeq: number, text: string): void {
    if (!this.#members.has(from)) {
      this.#refused++
      return
    }
    const message: ChatMessage = { room: this.#name, seq: this.#log.length + 1, from, clientSeq, text }
    this.#log.push(message)
    for (const member of this.#members.values()) member.tell.message(message)
    if (this.#waiting.length > 0) this.#wake()
  }

  /** Answers once the room has taken `count` messages in all. */
  whenCount(count: number): DeferredReply<number> {
    const reply = this.ctx.deferReply<number>()
    this.#waiting.push({ count, reply })
    this.#wake()
    return reply
  }

  transcript(): ChatMessage[] {
    // A copy: an asker on this thread gets the value itself, not a snapshot (no copy on the same thread).
    return [...this.#log]
  }

  refused(): number {
    return this.#refused
  }

  thread(): number {
    return this.ctx.thread
  }

  #wake(): void {
    const length = this.#log.length
    this.#waiting = this.#waiting.filter(({ count, reply }) => {
      if (length < count) return true
      reply.resolve(length)
      return false
    })
  }
}
