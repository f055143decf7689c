import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import type { ChatRoom } from './chat-room.js'
import type { ChatMessage, Joined, Transcript } from './types.js'

interface Membership {
  readonly room: ActorRef<ChatRoom>
  history: ChatMessage[]
  readonly live: ChatMessage[]
  /** This user's posts to the room so far: the next one is numbered `sent + 1`. */
  sent: number
  waiting: Array<{ readonly count: number; readonly reply: DeferredReply<number> }>
}

/** A chat user: joins rooms, posts to them, and keeps what every room sent it. */
export class ChatUser extends Actor<ChatUser> {
  readonly #name: string
  readonly #rooms = new Map<string, Membership>()

  constructor(name: string) {
    super()
    this.#name = name
  }

  /** Joins through an ask piped back to itself, so the room's history and messages keep coming in meanwhile. */
  join(roomName: string, room: ActorRef<ChatRoom>): DeferredReply<Joined> {
    const reply = this.ctx.deferReply<Joined>()
    // Ready before the room answers: its history and first messages may arrive ahead of the answer.
    this.#rooms.set(roomName, { room, history: [], live: [], sent: 0, waiting: [] })
    this.ctx.pipeToSelf(room.ask.join(this.#name, this.ctx.self), (joined) => reply.resolve(joined), (error) => reply.reject(error))
    return reply
  }

  /**
   * Posts `count` messages, one per turn: after each post the next is queued behind whatever
   * has arrived meanwhile, so users on one thread interleave their posts as users on different
   * threads do.
   */
  chatter(roomName: string, count: number): void {
    const membership = this.#rooms.get(roomName)
    if (membership === undefined || count <= 0) return
    const sent = ++membership.sent
    membership.room.tell.post(this.#name, sent, `${this.#name} says hello #${sent}`)
    if (count > 1) this.ctx.pipeToSelf(Promise.resolve(), () => this.chatter(roomName, count - 1))
  }

  /** The room's backlog, sent once on joining, before any live message. */
  history(roomName: string, messages: ChatMessage[]): void {
    const membership = this.#rooms.get(roomName)
    if (membership === undefined) return
    membership.history = messages
    this.#wake(membership)
  }

  message(message: ChatMessage): void {
    const membership = this.#rooms.get(message.room)
    if (membership === undefined) return
    membership.live.push(message)
    this.#wake(membership)
  }

  /** Answers once this user holds `count` messages of the room (history included). */
  whenReceived(roomName: string, count: number): DeferredReply<number> {
    const reply = this.ctx.deferReply<number>()
    const membership = this.#rooms.get(roomName)
    if (membership === undefined) {
      reply.reject(new Error(`${this.#name} is not in ${roomName}`))
      return reply
    }
    membership.waiting.push({ count, reply })
    this.#wake(membership)
    return reply
  }

  transcriptOf(roomName: string): Transcript | undefined {
    const membership = this.#rooms.get(roomName)
    if (membership === undefined) return undefined
    return { user: this.#name, room: roomName, thread: this.ctx.thread, history: [...membership.history], live: [...membership.live] }
  }

  thread(): number {
    return this.ctx.thread
  }

  #wake(membership: Membership): void {
    const held = membership.history.length + membership.live.length
    membership.waiting = membership.waiting.filter(({ count, reply }) => {
      if (held < count) return true
      reply.resolve(held)
      return false
    })
  }
}
