// Chat messages as they travel: plain data, so they cross threads unchanged.

export interface ChatMessage {
  readonly room: string
  /** The room's order: 1, 2, 3, … assigned when the room takes the post. */
  readonly seq: number
  readonly from: string
  /** The sender's own count of its posts to this room: 1, 2, 3, … */
  readonly clientSeq: number
  readonly text: string
}

/** The room's answer to a join: how many messages it had, and how many of them it sent as history. */
export interface Joined {
  readonly seq: number
  readonly history: number
}

/** What one user received from one room. */
export interface Transcript {
  readonly user: string
  readonly room: string
  readonly thread: number
  /** The backlog the room sent on joining (its last N messages), oldest first. */
  readonly history: readonly ChatMessage[]
  /** Messages broadcast after the join, in arrival order. */
  readonly live: readonly ChatMessage[]
}
