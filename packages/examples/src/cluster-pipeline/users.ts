// The registrations of cluster-pipeline, and how the (simulated) mail provider treats each user.

/** The event of the `user-registered` stream: plain data, stored in JetStream as msgpack. */
export interface UserRegistered {
  readonly id: string
  readonly email: string
}

export const NODES = ['a', 'b', 'c'] as const
export type NodeName = (typeof NODES)[number]

/** The provider answers "421 try again later" to the first attempts of these users: 1, 2, then 3 failures. */
export const FLAKY: Readonly<Record<string, number>> = { u03: 1, u08: 2, u11: 3 }

/** A mailbox that does not exist: every attempt fails with 550, so after maxAttempts it is a dead letter. */
export const POISON = 'u14'

/** Submitted twice (a double click): the second registration must not send a second email. */
export const DOUBLE_SUBMITTED = 'u05'
/** The node whose web server sees the double click (u05 registered first through node a). */
export const DOUBLE_SUBMIT_NODE: NodeName = 'b'

/** Users registering through each node (a web server each): six apiece. */
export const USERS: Readonly<Record<NodeName, readonly UserRegistered[]>> = Object.fromEntries(
  NODES.map((node, n) => [node, Array.from({ length: 6 }, (_, i) => user(n * 6 + i + 1))]),
) as Record<NodeName, UserRegistered[]>

export const ALL_USERS: readonly UserRegistered[] = NODES.flatMap((node) => USERS[node])

function user(n: number): UserRegistered {
  const id = `u${String(n).padStart(2, '0')}`
  return { id, email: id === POISON ? `${id}@no-such-domain.invalid` : `${id}@example.com` }
}
