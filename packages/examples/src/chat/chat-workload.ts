// The chat example as a workload for `troupe bench`: one room per worker, each with its members
// on the same worker, everyone posting at once. The work per worker is fixed, so with perfect
// scaling k workers move k times the messages of one (weak scaling, like bench's throughput.wK).
import { defineWorkload, type ActorRef } from 'troupe'
import { CHAT_ACTOR_MODULES } from './actor-modules.js'
import { ChatRoom } from './chat-room.js'
import { ChatUser } from './chat-user.js'

/** Members per room, and posts per member per pass. */
export const MEMBERS = 4
export const POSTS = 2000

interface Room {
  readonly name: string
  readonly room: ActorRef<ChatRoom>
  readonly users: readonly ActorRef<ChatUser>[]
}

interface ChatState {
  readonly rooms: readonly Room[]
  /** Posts every room has taken so far (passes accumulate on the same actors). */
  posts: number
}

export default defineWorkload({
  name: 'chat rooms',
  unit: 'msg',
  actors: CHAT_ACTOR_MODULES,
  async setup({ system, workers }): Promise<ChatState> {
    const rooms: Room[] = []
    for (let worker = 0; worker < workers; worker++) {
      const name = `room-${worker}`
      const room = await system.spawn(ChatRoom, { args: [name, 0], placement: { worker } })
      const users = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => system.spawn(ChatUser, { args: [`${name}-user-${i}`], placement: { colocateWith: room } })))
      await Promise.all(users.map((user) => user.ask.join(name, room)))
      rooms.push({ name, room, users })
    }
    return { rooms, posts: 0 }
  },
  async run(state) {
    state.posts += MEMBERS * POSTS
    const posts = state.posts
    const done = state.rooms.flatMap(({ name, users }) => users.map((user) => user.ask.whenReceived(name, posts)))
    for (const { name, users } of state.rooms) for (const user of users) user.tell.chatter(name, POSTS)
    await Promise.all(done)
    // Each post is one message to the room and one to each member.
    return state.rooms.length * MEMBERS * POSTS * (1 + MEMBERS)
  },
  async check(state) {
    for (const { name, room, users } of state.rooms) {
      const transcript = await room.ask.transcript()
      if (transcript.length !== state.posts || transcript.some((message, i) => message.seq !== i + 1)) {
        throw new Error(`${name} took ${transcript.length} posts, expected ${state.posts} numbered 1..${state.posts}`)
      }
      for (const user of users) {
        const received = await user.ask.transcriptOf(name)
        if (received?.live.length !== state.posts) throw new Error(`${received?.user ?? 'a user'} of ${name} holds ${received?.live.length ?? 0} messages, expected ${state.posts}`)
      }
    }
  },
})
