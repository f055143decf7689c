import { ActorSystem, type ActorRef } from 'troupe'
import { CHAT_ACTOR_MODULES } from './actor-modules.js'
import { ChatRoom } from './chat-room.js'
import { ChatUser } from './chat-user.js'
import { checkChat, type Check } from './checks.js'
import { expectedTotal, HISTORY, LATE_JOINER, POSTS_PER_PHASE, ROOMS, usersOf } from './scenario.js'
import type { ChatMessage, Joined, Transcript } from './types.js'
import { threadName } from '../shared/format.js'

export interface ChatOptions {
  /** Where the example's lines go. */
  readonly log: (line: string) => void
  /** Worker threads. Default 2. */
  readonly workers?: number
}

export interface RoomRecord {
  readonly name: string
  readonly thread: number
  /** The room's total order: every message it took. */
  readonly transcript: readonly ChatMessage[]
}

export interface ChatResult {
  readonly ok: boolean
  readonly checks: readonly Check[]
  readonly rooms: readonly RoomRecord[]
  /** What every member received from every room it is in. */
  readonly transcripts: readonly Transcript[]
  /** The room's answer to each join, keyed "user@room". */
  readonly joins: Readonly<Record<string, Joined>>
  readonly userThreads: Readonly<Record<string, number>>
  readonly deadLetters: number
}

const short = (message: ChatMessage): string => `${message.from}#${message.clientSeq}`

/**
 * Two rooms and their users spread over the workers. Phase 1: every member posts at once.
 * Phase 2: they all post again, and while they do, a late joiner enters the lobby, gets its last
 * messages as history, and posts too. Then every member's transcript is compared with its room's.
 */
export async function runChat(options: ChatOptions): Promise<ChatResult> {
  const { log } = options
  const system = await ActorSystem.start({ workers: options.workers ?? 2, actors: CHAT_ACTOR_MODULES })
  try {
    const workers = system.workers
    const rooms = new Map<string, ActorRef<ChatRoom>>()
    for (const [i, plan] of ROOMS.entries()) {
      rooms.set(plan.room, await system.spawn(ChatRoom, { name: `chat:${plan.room}`, placement: { worker: i % workers }, args: [plan.room, HISTORY] }))
    }
    const users = new Map<string, ActorRef<ChatUser>>()
    for (const [i, name] of usersOf(ROOMS).entries()) {
      users.set(name, await system.spawn(ChatUser, { name: `user:${name}`, placement: { worker: i % workers }, args: [name] }))
    }
    const room = (name: string): ActorRef<ChatRoom> => rooms.get(name)!
    const user = (name: string): ActorRef<ChatUser> => users.get(name)!

    const userThreads = Object.fromEntries(await Promise.all([...users].map(async ([name, ref]) => [name, await ref.ask.thread()] as const)))
    log(`chat: ${ROOMS.length} rooms, ${users.size} users on ${workers} workers; history for late joiners: last ${HISTORY} messages`)
    for (const [name, ref] of rooms) log(`  room ${name.padEnd(6)} on ${threadName(await ref.ask.thread())}; members: ${ROOMS.find((p) => p.room === name)!.members.join(', ')}`)
    for (const thread of [...new Set(Object.values(userThreads))].sort()) {
      log(`  users on ${threadName(thread)}: ${Object.keys(userThreads).filter((name) => userThreads[name] === thread).join(', ')}`)
    }

    const joins: Record<string, Joined> = {}
    await Promise.all(ROOMS.flatMap((plan) => plan.members.map(async (member) => (joins[`${member}@${plan.room}`] = await user(member).ask.join(plan.room, room(plan.room))))))

    log('')
    log(`phase 1: every member posts ${POSTS_PER_PHASE} messages to each of its rooms, all at once`)
    const chatter = (): void => ROOMS.forEach((plan) => plan.members.forEach((member) => user(member).tell.chatter(plan.room, POSTS_PER_PHASE)))
    chatter()
    await Promise.all(ROOMS.map((plan) => room(plan.room).ask.whenCount(plan.members.length * POSTS_PER_PHASE)))
    for (const plan of ROOMS) {
      const order = await room(plan.room).ask.transcript()
      log(`  ${plan.room} took them in this order: ${order.slice(0, 12).map(short).join(' ')} …`)
    }

    log('')
    log(`phase 2: everyone posts ${POSTS_PER_PHASE} more; ${LATE_JOINER.user} joins ${LATE_JOINER.room} once it has ${LATE_JOINER.afterCount} messages, then posts too`)
    chatter()
    await room(LATE_JOINER.room).ask.whenCount(LATE_JOINER.afterCount)
    const late = await user(LATE_JOINER.user).ask.join(LATE_JOINER.room, room(LATE_JOINER.room))
    joins[`${LATE_JOINER.user}@${LATE_JOINER.room}`] = late
    log(`  ${LATE_JOINER.user} joined ${LATE_JOINER.room} after message #${late.seq}: history #${late.seq - late.history + 1}..#${late.seq}, live from #${late.seq + 1}`)
    user(LATE_JOINER.user).tell.chatter(LATE_JOINER.room, POSTS_PER_PHASE)

    // Done when every room has every post, and every member holds everything sent it since it joined.
    await Promise.all(ROOMS.map((plan) => room(plan.room).ask.whenCount(expectedTotal(plan))))
    // Members in plan order (the late joiner last), each with what it must hold: history + every live message.
    const memberships = [...ROOMS.flatMap((plan) => plan.members.map((name) => ({ name, plan }))), { name: LATE_JOINER.user, plan: ROOMS.find((p) => p.room === LATE_JOINER.room)! }].map(
      ({ name, plan }) => {
        const joined = joins[`${name}@${plan.room}`]!
        return { name, roomName: plan.room, expected: joined.history + expectedTotal(plan) - joined.seq }
      },
    )
    await Promise.all(memberships.map(({ name, roomName, expected }) => user(name).ask.whenReceived(roomName, expected)))

    const records = await Promise.all(
      ROOMS.map(async (plan): Promise<RoomRecord> => ({ name: plan.room, thread: await room(plan.room).ask.thread(), transcript: await room(plan.room).ask.transcript() })),
    )
    const transcripts = (await Promise.all(memberships.map(({ name, roomName }) => user(name).ask.transcriptOf(roomName)))).filter(
      (t): t is Transcript => t !== undefined,
    )
    const deadLetters = system.deadLetters.count
    const checks = checkChat({ rooms: records, transcripts, joins, workers })

    log('')
    log('Transcripts')
    for (const record of records) {
      const switches = record.transcript.filter((m, i) => i > 0 && m.from !== record.transcript[i - 1]!.from).length
      log(`  ${record.name}: ${record.transcript.length} messages; the sender changes ${switches} times along the room's order`)
    }
    for (const t of transcripts) {
      const first = [...t.history, ...t.live][0]
      const from = first === undefined ? '-' : `#${first.seq}`
      log(`  ${t.user.padEnd(4)} in ${t.room.padEnd(6)} on ${threadName(t.thread)}: ${t.history.length} history + ${t.live.length} live, from ${from}`)
    }
    const lateTranscript = transcripts.find((t) => t.user === LATE_JOINER.user)
    if (lateTranscript !== undefined) {
      log(`  ${LATE_JOINER.user}'s first messages: ${[...lateTranscript.history, ...lateTranscript.live].slice(0, HISTORY + 3).map((m) => `#${m.seq}`).join(' ')} …`)
    }
    log('Checks')
    for (const check of checks) log(`  ${check.passed ? 'ok  ' : 'FAIL'} ${check.detail}`)
    const ok = checks.every((check) => check.passed) && deadLetters === 0
    log(ok ? `PASS: all ${checks.length} checks, no dead letters` : `FAIL: ${checks.filter((c) => !c.passed).length} checks failed, ${deadLetters} dead letters`)
    return { ok, checks, rooms: records, transcripts, joins, userThreads, deadLetters }
  } finally {
    await system.shutdown()
  }
}
