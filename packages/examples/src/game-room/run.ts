import { ActorSystem, type ActorRef } from 'troupe'
import { GAME_ROOM_ACTOR_MODULES } from './actor-modules.js'
import { checkGames, type Check } from './checks.js'
import { Player } from './player.js'
import { Room } from './room.js'
import { GAMES, playersOf, TARGET, type GameScript } from './script.js'
import type { PlayerView, RoomState, Scores } from './types.js'
import { threadName } from '../shared/format.js'

export interface GameRoomOptions {
  /** Where the example's lines go. */
  readonly log: (line: string) => void
  /** Worker threads. Default 2. */
  readonly workers?: number
}

export interface GameRoomResult {
  readonly ok: boolean
  readonly checks: readonly Check[]
  /** Each room at the end: members, scores, winner, and every update it broadcast. */
  readonly rooms: readonly RoomState[]
  /** What every player saw of every room it joined. */
  readonly views: readonly PlayerView[]
  /** Scores each room refused. */
  readonly refused: Readonly<Record<string, number>>
  /** The thread of every player. */
  readonly playerThreads: Readonly<Record<string, number>>
  readonly deadLetters: number
}

const board = (scores: Scores): string => Object.entries(scores).map(([player, points]) => `${player} ${points}`).join(', ')

/**
 * Plays the scripted games in every room at once. Rooms are pinned one per worker in turn;
 * players are spread by the default round-robin placement, so most rooms talk to players on
 * other threads. Within a room the steps run one after another (each waits for the room's
 * answer), which makes every game deterministic while the rooms run in parallel.
 */
export async function runGameRoom(options: GameRoomOptions): Promise<GameRoomResult> {
  const { log } = options
  const system = await ActorSystem.start({ workers: options.workers ?? 2, actors: GAME_ROOM_ACTOR_MODULES })
  try {
    const rooms = new Map<string, ActorRef<Room>>()
    for (const [i, game] of GAMES.entries()) {
      rooms.set(game.room, await system.spawn(Room, { name: `room:${game.room}`, placement: { worker: i % system.workers }, args: [game.room, TARGET] }))
    }
    const players = new Map<string, ActorRef<Player>>()
    for (const name of playersOf(GAMES)) players.set(name, await system.spawn(Player, { name: `player:${name}`, args: [name] }))

    const playerThreads = Object.fromEntries(await Promise.all([...players].map(async ([name, ref]) => [name, await ref.ask.thread()] as const)))
    log(`game-room: ${GAMES.length} rooms, ${players.size} players, first to ${TARGET} points wins; ${system.workers} workers`)
    for (const [name, ref] of rooms) log(`  room ${name.padEnd(8)} on ${threadName((await ref.ask.state()).thread)}`)
    for (const thread of [...new Set(Object.values(playerThreads))].sort()) {
      log(`  players on ${threadName(thread)}: ${Object.keys(playerThreads).filter((name) => playerThreads[name] === thread).join(', ')}`)
    }
    log('')

    const refused: Record<string, number> = {}
    await Promise.all(GAMES.map((game) => play(game, rooms, players, log, refused)))

    const states = await Promise.all(GAMES.map((game) => rooms.get(game.room)!.ask.state()))
    const views = (
      await Promise.all(
        GAMES.flatMap((game) => [...new Set(game.steps.map((step) => step.player))].map((player) => players.get(player)!.ask.view(game.room))),
      )
    ).filter((view): view is PlayerView => view !== undefined)
    const deadLetters = system.deadLetters.count
    const checks = checkGames(GAMES, { rooms: states, views, refused, workers: system.workers })

    log('')
    log('Results')
    for (const state of states) log(`  ${state.name.padEnd(8)} winner ${(state.winner ?? 'none').padEnd(4)} after ${String(state.updates.length).padStart(2)} updates; ${board(state.scores)}`)
    log('What each member saw')
    for (const view of views) {
      const range = view.seen.length === 0 ? 'nothing' : `updates ${view.seen[0]}..${view.seen.at(-1)} (${view.seen.length})`
      const left = view.leftAfter === undefined ? `told winner: ${view.winner ?? '-'}` : `left after update ${view.leftAfter}, ${view.afterLeaving} since`
      log(`  ${view.player.padEnd(4)} in ${view.room.padEnd(8)} on ${threadName(view.thread)}: ${range}; ${left}`)
    }
    log('Checks')
    for (const check of checks) log(`  ${check.passed ? 'ok  ' : 'FAIL'} ${check.detail}`)
    const ok = checks.every((check) => check.passed) && deadLetters === 0
    log(ok ? `PASS: all ${checks.length} checks, no dead letters` : `FAIL: ${checks.filter((c) => !c.passed).length} checks failed, ${deadLetters} dead letters`)
    return { ok, checks, rooms: states, views, refused, playerThreads, deadLetters }
  } finally {
    await system.shutdown()
  }
}

/** Plays one room's script, one step at a time, then waits until every member heard the winner. */
async function play(
  game: GameScript,
  rooms: ReadonlyMap<string, ActorRef<Room>>,
  players: ReadonlyMap<string, ActorRef<Player>>,
  log: (line: string) => void,
  refused: Record<string, number>,
): Promise<void> {
  const room = rooms.get(game.room)!
  const say = (line: string): void => log(`  ${game.room.padEnd(8)} ${line}`)
  refused[game.room] = 0
  for (const step of game.steps) {
    const player = players.get(step.player)!
    if (step.kind === 'join') {
      const membership = await player.ask.join(game.room, room)
      say(membership.ok ? `${step.player} joins` : `${step.player} cannot join: ${membership.reason}`)
    } else if (step.kind === 'leave') {
      const membership = await player.ask.leave(game.room)
      say(membership.ok ? `${step.player} leaves (after update ${membership.seq})` : `${step.player} cannot leave: ${membership.reason}`)
    } else {
      const ack = await player.ask.scorePoints(game.room, step.points)
      if (!ack.accepted) {
        refused[game.room]!++
        say(`${step.player} +${step.points} refused: ${ack.reason}`)
      } else {
        say(`#${ack.seq} ${step.player} +${step.points} = ${ack.total}${ack.total >= TARGET ? `  →  ${step.player} wins ${game.room}!` : ''}`)
      }
    }
  }
  const { members, winner } = await room.ask.state()
  if (winner === undefined) return
  await Promise.all(members.map((member) => players.get(member)!.ask.whenWon(game.room)))
  say(`winner ${winner} announced to ${members.join(', ')}`)
}
