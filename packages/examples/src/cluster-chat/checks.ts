import type { Exit } from './node-process.js'
import { ALL_USERS, PHASES, usersOf, VICTIM, NODES } from './scenario.js'
import type { Transcripts } from './transcripts.js'

export interface Check {
  readonly id: 'per-sender-order' | 'one-order' | 'everyone-heard-everyone' | 'survivors-complete' | 'victim-prefix' | 'dropped' | 'after-drop' | 'shutdown'
  readonly passed: boolean
  readonly detail: string
}

/** What the launcher saw, beyond the transcripts. */
export interface Observed {
  readonly transcripts: Transcripts
  /** The room's answer to the node-down of the victim. */
  readonly dropped: { readonly users: readonly string[]; readonly members: readonly string[] } | undefined
  /** The room's members at the end. */
  readonly finalMembers: readonly string[]
  /** Dead letters on the room's node during the last phase (after the drop). */
  readonly deadLettersAfterDrop: number
  readonly exits: Readonly<Record<string, Exit | undefined>>
}

const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join()

export const VICTIMS: readonly string[] = usersOf(VICTIM)
export const SURVIVORS: readonly string[] = ALL_USERS.filter((user) => !VICTIMS.includes(user))
/** Posts of each survivor over the three phases. */
export const SURVIVOR_POSTS = PHASES.all.posts + PHASES.kill.posts + PHASES.after.posts

export function checkClusterChat(observed: Observed): Check[] {
  const { transcripts } = observed
  const pairs = ALL_USERS.flatMap((user) => ALL_USERS.map((sender) => ({ user, sender, ns: transcripts.of(user, sender) })))

  // Per-sender FIFO, room included: each sender's posts reach every user as 1, 2, 3, … (no gap, no repeat, no swap).
  const disordered = pairs.filter(({ ns }) => ns.join() !== upTo(ns.length).join())
  // The room is the one sender of every broadcast, so every member receives the room's own order
  // (seq 1, 2, 3, …), whichever node it is on; the survivors all of it, c's users a prefix.
  const seqs = ALL_USERS.map((user) => ({ user, seqs: transcripts.seqsOf(user) }))
  const offOrder = seqs.filter(({ seqs: s }) => s.join() !== upTo(s.length).join())
  const survivorLengths = new Set(seqs.filter(({ user }) => SURVIVORS.includes(user)).map(({ seqs: s }) => s.length))
  const short = pairs.filter(({ ns }) => ns.length < PHASES.all.posts)
  const incomplete = pairs.filter(({ user, sender, ns }) => SURVIVORS.includes(user) && SURVIVORS.includes(sender) && ns.length !== SURVIVOR_POSTS)

  // The room tells each of c's posts to every member in one handler: the survivors all hold the
  // same prefix of c's posts, whatever c got out before it died.
  const victimPrefix = VICTIMS.map((sender) => ({ sender, lengths: new Set(SURVIVORS.map((user) => transcripts.of(user, sender).length)) }))
  const prefixOk = victimPrefix.every(({ lengths }) => lengths.size === 1 && [...lengths][0]! >= PHASES.all.posts)

  const dropped = observed.dropped
  const droppedOk = dropped !== undefined && sameSet(dropped.users, VICTIMS) && sameSet(dropped.members, SURVIVORS)
  const afterOk = sameSet(observed.finalMembers, SURVIVORS) && observed.deadLettersAfterDrop === 0

  const exitText = (node: string): string => {
    const exit = observed.exits[node]
    return exit === undefined ? 'still running' : (exit.signal ?? `code ${exit.code}`)
  }
  const shutdownOk = NODES.every(({ node }) => (node === VICTIM ? observed.exits[node]?.signal === 'SIGKILL' : observed.exits[node]?.code === 0))

  return [
    {
      id: 'per-sender-order',
      passed: disordered.length === 0,
      detail:
        disordered.length === 0
          ? `${pairs.length} (user, sender) pairs: each user received each sender's posts as 1, 2, 3, … with no gap, repeat or swap`
          : `out of order: ${disordered.map(({ user, sender }) => `${user} from ${sender}`).join(', ')}`,
    },
    {
      id: 'one-order',
      passed: offOrder.length === 0 && survivorLengths.size === 1,
      detail:
        offOrder.length === 0
          ? `every user received the room's messages in the room's order, seq 1, 2, 3, …: ${seqs.map(({ user, seqs: s }) => `${user} 1..${s.length}`).join(', ')}`
          : `not in the room's order: ${offOrder.map(({ user }) => user).join(', ')}`,
    },
    {
      id: 'everyone-heard-everyone',
      passed: short.length === 0,
      detail: short.length === 0 ? `phase 1: all ${ALL_USERS.length} users, on 3 nodes, received all ${PHASES.all.posts} posts of all ${ALL_USERS.length} users` : `missing phase-1 posts: ${short.map(({ user, sender }) => `${user} from ${sender}`).join(', ')}`,
    },
    {
      id: 'survivors-complete',
      passed: incomplete.length === 0,
      detail: incomplete.length === 0 ? `a's and b's users received all ${SURVIVOR_POSTS} posts of each other, through the kill` : `incomplete: ${incomplete.map(({ user, sender, ns }) => `${user} has ${ns.length} from ${sender}`).join(', ')}`,
    },
    {
      id: 'victim-prefix',
      passed: prefixOk,
      detail: `a's and b's users hold the same posts of c's users: ${victimPrefix.map(({ sender, lengths }) => `${sender} #1..#${[...lengths].join('/')}`).join(', ')} (what reached the room before c died)`,
    },
    {
      id: 'dropped',
      passed: droppedOk,
      detail: dropped === undefined ? 'the room never reported dropping anyone' : `the room dropped ${dropped.users.join(', ') || 'nobody'}; members left: ${dropped.members.join(', ')}`,
    },
    {
      id: 'after-drop',
      passed: afterOk,
      detail: `after the drop: room members ${observed.finalMembers.join(', ')}; ${observed.deadLettersAfterDrop} dead letters on node a while a and b chatted on`,
    },
    {
      id: 'shutdown',
      passed: shutdownOk,
      detail: `exits: ${NODES.map(({ node }) => `${node} ${exitText(node)}`).join(', ')}`,
    },
  ]
}
