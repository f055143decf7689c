import { referee, type GameScript } from './script.js'
import type { PlayerView, RoomState, Scores } from './types.js'

export interface Check {
  readonly id: 'winners' | 'scores' | 'refused' | 'updates-in-order' | 'leavers' | 'announced' | 'placement'
  readonly passed: boolean
  readonly detail: string
}

export interface Played {
  readonly rooms: readonly RoomState[]
  readonly views: readonly PlayerView[]
  /** Scores the rooms refused, per room. */
  readonly refused: Readonly<Record<string, number>>
  readonly workers: number
}

export function checkGames(games: readonly GameScript[], played: Played): Check[] {
  const rows = games.map((game) => ({ game, expected: referee(game), room: played.rooms.find((room) => room.name === game.room) }))
  const bad = (names: string[]): string => names.join(', ')

  const wrongWinner = rows.filter(({ expected, room }) => room?.winner !== expected.winner).map(({ game }) => game.room)
  const wrongScores = rows.filter(({ expected, room }) => room === undefined || !sameScores(room.scores, expected.scores)).map(({ game }) => game.room)
  const wrongRefused = rows.filter(({ game, expected }) => (played.refused[game.room] ?? 0) !== expected.refused).map(({ game }) => game.room)

  // Each member saw exactly the updates broadcast between its join and its leave (or the end), in order.
  const outOfOrder = played.views.filter((view) => {
    const room = played.rooms.find((r) => r.name === view.room)
    if (room === undefined) return true
    const last = view.leftAfter ?? room.updates.length
    const expected = room.updates.filter((u) => u.seq > view.joinedAfter && u.seq <= last).map((u) => u.seq)
    return !sameList(view.seen, expected)
  })
  const leavers = played.views.filter((view) => view.leftAfter !== undefined)
  const leakyLeavers = leavers.filter((view) => view.afterLeaving !== 0 || played.rooms.find((r) => r.name === view.room)?.members.includes(view.player) !== false)
  const unannounced = played.views.filter((view) => view.leftAfter === undefined && view.winner !== played.rooms.find((r) => r.name === view.room)?.winner)

  const roomThreads = new Set(played.rooms.map((room) => room.thread))
  const playerThreads = new Set(played.views.map((view) => view.thread))
  const spread = Math.min(2, played.workers)

  return [
    { id: 'winners', passed: wrongWinner.length === 0, detail: wrongWinner.length === 0 ? `${rows.length}/${rows.length} rooms crowned the scripted winner` : `wrong winner in ${bad(wrongWinner)}` },
    { id: 'scores', passed: wrongScores.length === 0, detail: wrongScores.length === 0 ? 'every final score board matches the script' : `wrong scores in ${bad(wrongScores)}` },
    { id: 'refused', passed: wrongRefused.length === 0, detail: wrongRefused.length === 0 ? 'scores after the win were refused' : `refusals off in ${bad(wrongRefused)}` },
    {
      id: 'updates-in-order',
      passed: outOfOrder.length === 0 && played.views.length > 0,
      detail: outOfOrder.length === 0 ? `${played.views.length}/${played.views.length} members saw every update of their membership, in the room's order` : `out of order: ${bad(outOfOrder.map((v) => `${v.player}@${v.room}`))}`,
    },
    {
      id: 'leavers',
      passed: leakyLeavers.length === 0,
      detail: leakyLeavers.length === 0 ? `${leavers.length} player(s) who left got no update after leaving` : `updates after leaving: ${bad(leakyLeavers.map((v) => `${v.player}@${v.room}`))}`,
    },
    { id: 'announced', passed: unannounced.length === 0, detail: unannounced.length === 0 ? 'every remaining member heard its room announce the winner' : `not told: ${bad(unannounced.map((v) => `${v.player}@${v.room}`))}` },
    {
      id: 'placement',
      passed: roomThreads.size >= spread && playerThreads.size >= spread && !roomThreads.has(0) && !playerThreads.has(0),
      detail: `rooms on ${roomThreads.size} worker(s), players on ${playerThreads.size} worker(s)`,
    },
  ]
}

function sameScores(a: Scores, b: Scores): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}
