import { Actor, type ActorRef, type Cancellable, type DeferredReply } from 'troupe'
import type { ChatMessage, Joined } from '../chat/types.js'
import type { ClusterChatRoom } from './chat-room.js'
import type { Reporter } from './reporter.js'

/**
 * A chat user of one node: joins the room (which may be on another node) with its own ref,
 * posts on a timer, and hands every message it receives to its node's reporter, which prints it.
 */
export class ClusterChatUser extends Actor<ClusterChatUser> {
  readonly #name: string
  #room: ActorRef<ClusterChatRoom> | undefined
  #reporter: ActorRef<Reporter> | undefined
  /** Posts so far: the next one is numbered `sent + 1`, across phases. */
  #sent = 0
  #timer: Cancellable | undefined

  constructor(name: string) {
    super()
    this.#name = name
  }

  /**
   * Joins through an ask piped back to itself: the room's history and first messages may arrive
   * before its answer, and the mailbox must stay open for them.
   */
  join(room: ActorRef<ClusterChatRoom>, reporter: ActorRef<Reporter>): DeferredReply<Joined> {
    const reply = this.ctx.deferReply<Joined>()
    this.#room = room
    this.#reporter = reporter
    this.ctx.pipeToSelf(room.ask.join(this.#name, this.ctx.self), (joined) => reply.resolve(joined), (error) => reply.reject(error))
    return reply
  }

  /** Posts `posts` messages, one every `everyMs`: a conversation, not a burst. */
  chatter(posts: number, everyMs: number): void {
    const room = this.#room
    if (room === undefined || posts <= 0) return
    this.#timer?.cancel()
    let left = posts
    this.#timer = this.ctx.every(everyMs, () => {
      const clientSeq = ++this.#sent
      room.tell.post(this.#name, clientSeq, `${this.#name} says hello #${clientSeq}`)
      if (--left === 0) this.#timer?.cancel()
    })
  }

  history(messages: ChatMessage[]): void {
    for (const message of messages) this.#reporter?.tell.heard(this.#name, message, true)
  }

  message(message: ChatMessage): void {
    this.#reporter?.tell.heard(this.#name, message, false)
  }
}
