import { Actor, type ActorRef } from 'troupe'
import type { Player } from './player.js'
import type { Membership, RoomState, ScoreAck, Scores, ScoreUpdate } from './types.js'

/**
 * One game. The room is the only place scores change, so its mailbox order is the game's
 * order: every update gets the next number, and every member is told in that order. A member
 * hears all updates from one sender, this room, so per-sender FIFO means it sees them in the
 * same order on any thread.
 */
export class Room extends Actor {
  readonly #name: string
  readonly #target: number
  readonly #members = new Map<string, ActorRef<Player>>()
  readonly #scores = new Map<string, number>()
  readonly #updates: ScoreUpdate[] = []
  #winner: string | undefined

  constructor(name: string, target: number) {
    super()
    this.#name = name
    this.#target = target
  }

  join(player: string, ref: ActorRef<Player>): Membership {
    if (this.#winner !== undefined) return { ok: false, reason: `the game is over: ${this.#winner} won` }
    if (this.#members.has(player)) return { ok: false, reason: `${player} is already in ${this.#name}` }
    this.#members.set(player, ref)
    if (!this.#scores.has(player)) this.#scores.set(player, 0)
    return { ok: true, seq: this.#updates.length }
  }

  /** From now on the player gets no updates. Its score stays on the board. */
  leave(player: string): Membership {
    if (!this.#members.delete(player)) return { ok: false, reason: `${player} is not in ${this.#name}` }
    return { ok: true, seq: this.#updates.length }
  }

  score(player: string, points: number): ScoreAck {
    if (this.#winner !== undefined) return { accepted: false, reason: `the game is over: ${this.#winner} won` }
    if (!this.#members.has(player)) return { accepted: false, reason: `${player} is not in ${this.#name}` }
    const total = (this.#scores.get(player) ?? 0) + points
    this.#scores.set(player, total)
    const update: ScoreUpdate = { room: this.#name, seq: this.#updates.length + 1, player, points, total, scores: this.#board() }
    this.#updates.push(update)
    for (const member of this.#members.values()) member.tell.scoreUpdate(update)
    if (total >= this.#target) {
      this.#winner = player
      for (const member of this.#members.values()) member.tell.gameWon({ room: this.#name, winner: player, seq: update.seq, scores: update.scores })
    }
    return { accepted: true, seq: update.seq, total }
  }

  state(): RoomState {
    return {
      name: this.#name,
      thread: this.ctx.thread,
      members: [...this.#members.keys()],
      scores: this.#board(),
      winner: this.#winner,
      // A copy: an asker on this thread would otherwise share the live array (no copy on the same thread).
      updates: [...this.#updates],
    }
  }

  #board(): Scores {
    return Object.fromEntries(this.#scores)
  }
}
