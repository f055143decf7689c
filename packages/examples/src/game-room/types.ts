// What rooms and players tell each other: plain data, so it crosses threads unchanged.

export type Scores = Readonly<Record<string, number>>

/** Broadcast by a room to every member after each accepted score, numbered from 1 per room. */
export interface ScoreUpdate {
  readonly room: string
  readonly seq: number
  readonly player: string
  readonly points: number
  readonly total: number
  readonly scores: Scores
}

/** Broadcast once, right after the update that took a player to the target. */
export interface Winner {
  readonly room: string
  readonly winner: string
  /** The update that won the game. */
  readonly seq: number
  readonly scores: Scores
}

/** `seq`: the room's last update when the player joined (or left): where its view begins (ends). */
export type Membership = { readonly ok: true; readonly seq: number } | { readonly ok: false; readonly reason: string }

export type ScoreAck = { readonly accepted: true; readonly seq: number; readonly total: number } | { readonly accepted: false; readonly reason: string }

export interface RoomState {
  readonly name: string
  readonly thread: number
  readonly members: readonly string[]
  readonly scores: Scores
  readonly winner: string | undefined
  /** Every update the room broadcast, in order. */
  readonly updates: readonly ScoreUpdate[]
}

/** What one player saw of one room. */
export interface PlayerView {
  readonly player: string
  readonly room: string
  readonly thread: number
  /** The room's last update before this player joined; it sees the ones after. */
  readonly joinedAfter: number
  /** The room's last update before this player left, if it left. */
  readonly leftAfter: number | undefined
  /** The `seq` of every update received, in arrival order. */
  readonly seen: readonly number[]
  /** Updates that arrived after the player had left (must be none). */
  readonly afterLeaving: number
  readonly winner: string | undefined
}
