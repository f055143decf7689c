import { Actor, type ActorRef, type DeferredReply } from 'troupe'
import type { Room } from './room.js'
import type { Membership, PlayerView, ScoreAck, ScoreUpdate, Winner } from './types.js'

/** What a player knows of one room it joined. */
interface Seat {
  readonly room: ActorRef<Room>
  joinedAfter: number
  leftAfter: number | undefined
  readonly seen: number[]
  afterLeaving: number
  winner: Winner | undefined
  readonly waitingForWinner: Array<DeferredReply<Winner>>
}

/**
 * A player: joins rooms, scores in them, and records every update the rooms broadcast.
 *
 * Its requests to a room are asks piped back to itself (`ctx.pipeToSelf`), so while it waits for
 * a room's answer it keeps taking that room's broadcasts; the caller's ask is answered with
 * `ctx.deferReply()` once the room has answered.
 */
export class Player extends Actor<Player> {
  readonly #name: string
  readonly #seats = new Map<string, Seat>()

  constructor(name: string) {
    super()
    this.#name = name
  }

  join(roomName: string, room: ActorRef<Room>): DeferredReply<Membership> {
    const reply = this.ctx.deferReply<Membership>()
    // The seat exists before the room answers: its first broadcasts may overtake the answer.
    const seat: Seat = { room, joinedAfter: 0, leftAfter: undefined, seen: [], afterLeaving: 0, winner: undefined, waitingForWinner: [] }
    this.#seats.set(roomName, seat)
    this.ctx.pipeToSelf(
      room.ask.join(this.#name, this.ctx.self),
      (membership) => {
        if (membership.ok) seat.joinedAfter = membership.seq
        else this.#seats.delete(roomName)
        reply.resolve(membership)
      },
      (error) => reply.reject(error),
    )
    return reply
  }

  leave(roomName: string): DeferredReply<Membership> {
    const reply = this.ctx.deferReply<Membership>()
    const seat = this.#seats.get(roomName)
    if (seat === undefined) {
      reply.resolve({ ok: false, reason: `${this.#name} never joined ${roomName}` })
      return reply
    }
    this.ctx.pipeToSelf(
      seat.room.ask.leave(this.#name),
      (membership) => {
        // Updates the room sent before it took the leave travelled ahead of its answer, on the
        // same channel, so they are all in by now; anything later would be a broken promise.
        if (membership.ok) seat.leftAfter = membership.seq
        reply.resolve(membership)
      },
      (error) => reply.reject(error),
    )
    return reply
  }

  scorePoints(roomName: string, points: number): DeferredReply<ScoreAck> {
    const reply = this.ctx.deferReply<ScoreAck>()
    const seat = this.#seats.get(roomName)
    if (seat === undefined) reply.resolve({ accepted: false, reason: `${this.#name} is not in ${roomName}` })
    else this.ctx.pipeToSelf(seat.room.ask.score(this.#name, points), (ack) => reply.resolve(ack), (error) => reply.reject(error))
    return reply
  }

  /** A room's broadcast. */
  scoreUpdate(update: ScoreUpdate): void {
    const seat = this.#seats.get(update.room)
    if (seat === undefined) return
    if (seat.leftAfter !== undefined) seat.afterLeaving++
    else seat.seen.push(update.seq)
  }

  /** A room's announcement. */
  gameWon(result: Winner): void {
    const seat = this.#seats.get(result.room)
    if (seat === undefined) return
    seat.winner = result
    for (const waiting of seat.waitingForWinner.splice(0)) waiting.resolve(result)
  }

  /** Answers once this player has heard the room announce its winner. */
  whenWon(roomName: string): DeferredReply<Winner> {
    const reply = this.ctx.deferReply<Winner>()
    const seat = this.#seats.get(roomName)
    if (seat === undefined) reply.reject(new Error(`${this.#name} is not in ${roomName}`))
    else if (seat.winner !== undefined) reply.resolve(seat.winner)
    else seat.waitingForWinner.push(reply)
    return reply
  }

  view(roomName: string): PlayerView | undefined {
    const seat = this.#seats.get(roomName)
    if (seat === undefined) return undefined
    const { joinedAfter, leftAfter, seen, afterLeaving, winner } = seat
    return { player: this.#name, room: roomName, thread: this.ctx.thread, joinedAfter, leftAfter, seen: [...seen], afterLeaving, winner: winner?.winner }
  }

  thread(): number {
    return this.ctx.thread
  }
}
