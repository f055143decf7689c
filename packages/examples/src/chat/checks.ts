import { expectedPosts, expectedTotal, HISTORY, LATE_JOINER, ROOMS } from './scenario.js'
import type { ChatMessage, Joined, Transcript } from './types.js'

export interface Check {
  readonly id: 'totals' | 'per-sender-order' | 'one-order' | 'history' | 'placement'
  readonly passed: boolean
  readonly detail: string
}

export interface Observed {
  readonly rooms: ReadonlyArray<{ readonly name: string; readonly thread: number; readonly transcript: readonly ChatMessage[] }>
  readonly transcripts: readonly Transcript[]
  /** The room's answer to each join, keyed "user@room". */
  readonly joins: Readonly<Record<string, Joined>>
  readonly workers: number
}

/** "12 bo#3": enough to tell two messages apart. */
const key = (message: ChatMessage): string => `${message.seq} ${message.from}#${message.clientSeq}`
const sameMessages = (a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean => a.length === b.length && a.every((m, i) => key(m) === key(b[i]!))

export function checkChat(observed: Observed): Check[] {
  const logOf = (room: string): readonly ChatMessage[] => observed.rooms.find((r) => r.name === room)?.transcript ?? []

  const wrongTotals = ROOMS.filter((plan) => logOf(plan.room).length !== expectedTotal(plan))

  // Each sender's posts appear in the room's order as 1, 2, 3, … with none missing.
  const reordered = ROOMS.flatMap((plan) =>
    Object.entries(expectedPosts(plan))
      .filter(([sender, count]) => {
        const own = logOf(plan.room).filter((m) => m.from === sender).map((m) => m.clientSeq)
        return own.length !== count || own.some((clientSeq, i) => clientSeq !== i + 1)
      })
      .map(([sender]) => `${sender}@${plan.room}`),
  )

  // Every member holds the room's order from where it joined (history included), exactly.
  const diverged = observed.transcripts.filter((t) => {
    const joined = observed.joins[`${t.user}@${t.room}`]
    if (joined === undefined) return true
    return !sameMessages([...t.history, ...t.live], logOf(t.room).slice(joined.seq - joined.history))
  })

  const late = observed.transcripts.find((t) => t.user === LATE_JOINER.user && t.room === LATE_JOINER.room)
  const lateJoined = observed.joins[`${LATE_JOINER.user}@${LATE_JOINER.room}`]
  const lateLog = logOf(LATE_JOINER.room)
  const historyOk =
    late !== undefined &&
    lateJoined !== undefined &&
    late.history.length === HISTORY &&
    sameMessages(late.history, lateLog.slice(lateJoined.seq - HISTORY, lateJoined.seq)) &&
    sameMessages(late.live, lateLog.slice(lateJoined.seq))

  const roomThreads = new Set(observed.rooms.map((r) => r.thread))
  const userThreads = new Set(observed.transcripts.map((t) => t.thread))
  const spread = Math.min(2, observed.workers)

  return [
    {
      id: 'totals',
      passed: wrongTotals.length === 0,
      detail: wrongTotals.length === 0 ? `every room took every post (${ROOMS.map((p) => `${p.room} ${expectedTotal(p)}`).join(', ')})` : `missing posts in ${wrongTotals.map((p) => p.room).join(', ')}`,
    },
    {
      id: 'per-sender-order',
      passed: reordered.length === 0,
      detail: reordered.length === 0 ? "each sender's posts are in its own order, none missing" : `out of sender order: ${reordered.join(', ')}`,
    },
    {
      id: 'one-order',
      passed: diverged.length === 0 && observed.transcripts.length > 0,
      detail: diverged.length === 0 ? `${observed.transcripts.length}/${observed.transcripts.length} member transcripts equal their room's order` : `differ from the room: ${diverged.map((t) => `${t.user}@${t.room}`).join(', ')}`,
    },
    {
      id: 'history',
      passed: historyOk,
      detail: `${LATE_JOINER.user} joined ${LATE_JOINER.room} after message ${lateJoined?.seq ?? '?'}: first ${late?.history.length ?? 0} messages are the last ${HISTORY} before the join, then every live one`,
    },
    {
      id: 'placement',
      passed: roomThreads.size >= spread && userThreads.size >= spread && !userThreads.has(0),
      detail: `rooms on ${roomThreads.size} worker(s), users on ${userThreads.size} worker(s)`,
    },
  ]
}
