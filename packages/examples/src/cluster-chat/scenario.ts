// The plan of `pnpm example cluster-chat`, shared by the launcher, the node program and the test.

/** The three node processes and the users each one hosts. Node `a` also hosts the room. */
export const NODES = [
  { node: 'a', users: ['ada', 'al'] },
  { node: 'b', users: ['bo', 'bea'] },
  { node: 'c', users: ['cy', 'cal'] },
] as const

export type NodeName = (typeof NODES)[number]['node']

/** Where the room lives, and the name the other nodes look it up by. */
export const ROOM_NODE: NodeName = 'a'
export const ROOM_NAME = 'room'

/** The node the launcher SIGKILLs in phase 2. */
export const VICTIM: NodeName = 'c'

/** Messages the room keeps, and tells a newcomer on joining. */
export const HISTORY = 10

/**
 * Short membership timings, so that the kill is seen within about 2 s instead of the default 3
 * to 3.5 s. Still 6 heartbeats per detection period: a node starting its worker (and compiling
 * TypeScript under tsx) is not mistaken for a dead one.
 */
export const HEARTBEAT_MS = 250
export const DOWN_AFTER_MS = 1500

/**
 * Posts per user in each phase, one every `everyMs`. Phase 2 lasts about 3 s, longer than the
 * kill plus its detection, so that a's and b's users are still posting when the room drops c's.
 */
export const PHASES = {
  /** Everyone chats. */
  all: { posts: 10, everyMs: 200 },
  /** Everyone chats; node c is SIGKILLed once its posts are seen arriving. */
  kill: { posts: 15, everyMs: 200 },
  /** After the room dropped c's users: a and b chat on. */
  after: { posts: 5, everyMs: 200 },
} as const

/** c is killed once a user on a has heard this many of cy's posts of phase 2. */
export const KILL_AFTER_VICTIM_POSTS = 3

export const usersOf = (node: NodeName): readonly string[] => NODES.find((n) => n.node === node)!.users
export const ALL_USERS: readonly string[] = NODES.flatMap((n) => n.users)
