/** Messages a late joiner gets from before it joined. */
export const HISTORY = 10

/** Posts each member makes to each of its rooms, per phase. */
export const POSTS_PER_PHASE = 20

export interface RoomPlan {
  readonly room: string
  /** Members from the start. */
  readonly members: readonly string[]
}

/** Two rooms with two users in both, so some users take messages from two rooms at once. */
export const ROOMS: readonly RoomPlan[] = [
  { room: 'lobby', members: ['ada', 'bo', 'cy', 'di'] },
  { room: 'dev', members: ['cy', 'di', 'ed', 'flo'] },
]

/**
 * Joins `room` during the second phase, while everyone is posting, once the room has taken
 * `afterCount` messages; then posts its own.
 */
export const LATE_JOINER = { user: 'zoe', room: 'lobby', afterCount: POSTS_PER_PHASE * 4 + 20 } as const

export function usersOf(rooms: readonly RoomPlan[]): string[] {
  return [...new Set([...rooms.flatMap((plan) => plan.members), LATE_JOINER.user])]
}

/** Messages each room must end with: two phases from its members, plus the late joiner's. */
export function expectedTotal(plan: RoomPlan): number {
  return plan.members.length * POSTS_PER_PHASE * 2 + (plan.room === LATE_JOINER.room ? POSTS_PER_PHASE : 0)
}

/** Posts each sender must have in the room, by sender. */
export function expectedPosts(plan: RoomPlan): Record<string, number> {
  const posts: Record<string, number> = Object.fromEntries(plan.members.map((member) => [member, POSTS_PER_PHASE * 2]))
  if (plan.room === LATE_JOINER.room) posts[LATE_JOINER.user] = POSTS_PER_PHASE
  return posts
}
