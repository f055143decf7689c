import { describe, expect, it } from 'vitest'
import { runGameRoom } from '../src/game-room/run.js'

const upTo = (n: number, from = 1): number[] => Array.from({ length: n - from + 1 }, (_, i) => from + i)

describe('game-room', () => {
  it('plays four scripted rooms at once: exact scores and winners, every member sees the updates in order, a leaver stops getting them', async () => {
    const result = await runGameRoom({ log: () => undefined, workers: 2 })

    const rooms = Object.fromEntries(result.rooms.map((room) => [room.name, room]))
    expect(Object.keys(rooms)).toEqual(['alpha', 'bravo', 'charlie', 'delta'])
    expect(rooms['alpha']).toMatchObject({ winner: 'ann', scores: { ann: 10, ben: 6, cat: 7 }, members: ['ann', 'ben', 'cat'] })
    expect(rooms['bravo']).toMatchObject({ winner: 'dan', scores: { dan: 10, eve: 5, fay: 7, gus: 6 }, members: ['dan', 'fay', 'gus'] })
    expect(rooms['charlie']).toMatchObject({ winner: 'ivy', scores: { hal: 9, ivy: 10 } })
    expect(rooms['delta']).toMatchObject({ winner: 'kim', scores: { ann: 5, kim: 10, leo: 4 } })
    expect(result.rooms.map((room) => room.updates.length)).toEqual([7, 7, 3, 14])
    // Each room numbers its updates 1, 2, 3, … and the last one is the winning score.
    for (const room of result.rooms) {
      expect(room.updates.map((update) => update.seq)).toEqual(upTo(room.updates.length))
      expect(room.updates.at(-1)).toMatchObject({ player: room.winner, total: 10 })
    }
    expect(result.refused).toEqual({ alpha: 1, bravo: 0, charlie: 1, delta: 1 })

    const view = (player: string, room: string) => result.views.find((v) => v.player === player && v.room === room)
    for (const player of ['ann', 'ben', 'cat']) expect(view(player, 'alpha')).toMatchObject({ seen: upTo(7), winner: 'ann', leftAfter: undefined })
    for (const player of ['dan', 'fay']) expect(view(player, 'bravo')).toMatchObject({ seen: upTo(7), winner: 'dan' })
    for (const player of ['hal', 'ivy']) expect(view(player, 'charlie')).toMatchObject({ seen: upTo(3), winner: 'ivy' })
    for (const player of ['ann', 'kim', 'leo']) expect(view(player, 'delta')).toMatchObject({ seen: upTo(14), winner: 'kim' })
    // gus joined after update 4: he sees 5..7 and the winner.
    expect(view('gus', 'bravo')).toMatchObject({ joinedAfter: 4, seen: upTo(7, 5), winner: 'dan' })
    // eve left after update 3: she saw 1..3, nothing of the four updates after, and no winner.
    expect(view('eve', 'bravo')).toMatchObject({ leftAfter: 3, seen: upTo(3), afterLeaving: 0, winner: undefined })
    expect(result.views).toHaveLength(12)

    // Players live on both workers, and rooms talk to players on other threads.
    expect(new Set(Object.values(result.playerThreads))).toEqual(new Set([1, 2]))
    expect(new Set(result.rooms.map((room) => room.thread))).toEqual(new Set([1, 2]))
    expect(result.views.some((v) => v.thread !== rooms[v.room]!.thread)).toBe(true)

    expect(result.checks.filter((check) => !check.passed)).toEqual([])
    expect(result.deadLetters).toBe(0)
    expect(result.ok).toBe(true)
  })
})
