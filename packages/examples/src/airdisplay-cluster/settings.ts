// The scenario of `pnpm example airdisplay-cluster`, shared by its launcher and its nodes.

export const NODES = ['a', 'b', 'c'] as const
export type NodeName = (typeof NODES)[number]
/** The node the tour talks to and never kills (its page's feed is watched throughout). */
export const FRONT: NodeName = 'a'
export const BANNERS = 12
/** Long enough that messages still show after the failover, on a slow machine. */
export const SHOW_MS = 20_000
export const HEARTBEAT_MS = 200
/** A node silent this long is down, and its banners come back on the others. */
export const DOWN_AFTER_MS = 1500
