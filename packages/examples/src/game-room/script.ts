import type { Scores } from './types.js'

export type Step =
  | { readonly kind: 'join'; readonly player: string }
  | { readonly kind: 'leave'; readonly player: string }
  | { readonly kind: 'score'; readonly player: string; readonly points: number }

/** One room's game, played step by step: each step waits for the room's answer. */
export interface GameScript {
  readonly room: string
  readonly steps: readonly Step[]
}

export const TARGET = 10

const join = (player: string): Step => ({ kind: 'join', player })
const leave = (player: string): Step => ({ kind: 'leave', player })
const score = (player: string, points: number): Step => ({ kind: 'score', player, points })

/** Rounds of `points` per player, in turn, until `rounds` rounds are played. */
function rounds(count: number, turns: ReadonlyArray<readonly [string, number]>): Step[] {
  return Array.from({ length: count }, () => turns.map(([player, points]) => score(player, points))).flat()
}

/**
 * Four games played at the same time. Ann plays in two rooms. In bravo, eve leaves halfway and
 * gus joins late. In alpha, ben tries to score after the game is over. In delta, kim is the first
 * to reach 10 in the fifth round, so the round's last turn (leo) is refused.
 */
export const GAMES: readonly GameScript[] = [
  {
    room: 'alpha',
    steps: [join('ann'), join('ben'), join('cat'), score('ann', 3), score('ben', 4), score('cat', 2), score('ann', 3), score('ben', 2), score('cat', 5), score('ann', 4), score('ben', 5)],
  },
  {
    room: 'bravo',
    steps: [join('dan'), join('eve'), join('fay'), score('dan', 2), score('eve', 5), score('fay', 3), leave('eve'), score('dan', 4), join('gus'), score('fay', 4), score('gus', 6), score('dan', 4)],
  },
  {
    room: 'charlie',
    steps: [join('hal'), join('ivy'), score('hal', 9), score('ivy', 9), score('ivy', 1), score('hal', 1)],
  },
  {
    room: 'delta',
    steps: [join('ann'), join('kim'), join('leo'), ...rounds(5, [['ann', 1], ['kim', 2], ['leo', 1]])],
  },
]

export interface Referee {
  readonly scores: Scores
  readonly winner: string | undefined
  /** Scores the room must refuse (after the game was over). */
  readonly refused: number
  /** Members still in the room at the end. */
  readonly members: readonly string[]
}

/** The script's outcome, worked out without actors: what the rooms must agree with. */
export function referee(script: GameScript, target = TARGET): Referee {
  const scores = new Map<string, number>()
  const members = new Set<string>()
  let winner: string | undefined
  let refused = 0
  for (const step of script.steps) {
    if (step.kind === 'join') {
      members.add(step.player)
      if (!scores.has(step.player)) scores.set(step.player, 0)
    } else if (step.kind === 'leave') {
      members.delete(step.player)
    } else if (winner !== undefined || !members.has(step.player)) {
      refused++
    } else {
      const total = (scores.get(step.player) ?? 0) + step.points
      scores.set(step.player, total)
      if (total >= target) winner = step.player
    }
  }
  return { scores: Object.fromEntries(scores), winner, refused, members: [...members] }
}

/** Every player of every game, once each, in first appearance order. */
export function playersOf(games: readonly GameScript[]): string[] {
  return [...new Set(games.flatMap((game) => game.steps.map((step) => step.player)))]
}
