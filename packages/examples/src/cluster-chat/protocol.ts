// What a node process and the launcher say to each other. The node prints one JSON object per
// line on stdout; the launcher writes one command per line on the node's stdin.
import type { Dropped, RoomState } from './chat-room.js'

export interface Heard {
  readonly user: string
  readonly from: string
  /** The sender's own number for the post (1, 2, 3, … across phases). */
  readonly n: number
  /** The room's number for it. */
  readonly seq: number
  /** Sent as backlog on joining, not live. */
  readonly history: boolean
}

export type NodeLine =
  /** Up, with its users (and the room, on the room's node). `id` is this run's node id (the `node` of its refs' addresses). */
  | { readonly up: { readonly node: string; readonly id: number } }
  /** Its users have joined the room (after `join`). */
  | { readonly ready: { readonly node: string; readonly id: number; readonly users: readonly string[] } }
  | { readonly heard: Heard }
  /** A membership event this node saw. */
  | { readonly event: { readonly type: 'node-up' | 'node-down'; readonly node: string; readonly id: number; readonly reason?: string } }
  /** The room's node only: the room dropped the members of a node that went down. */
  | { readonly dropped: Dropped & { readonly node: string; readonly id: number } }
  /** The answer to `report`: dead letters on this node by reason, and the room's state on the room's node. */
  | { readonly report: { readonly deadLetters: Readonly<Record<string, number>>; readonly room?: RoomState } }
  | { readonly stopped: true }
  | { readonly error: { readonly message: string } }

/** Commands, one per line on the node's stdin. */
export const command = {
  join: 'join',
  chat: (posts: number, everyMs: number): string => `chat ${posts} ${everyMs}`,
  report: 'report',
  shutdown: 'shutdown',
} as const

/** One JSON line on stdout, written whole: lines of different actors never interleave. */
export function printLine(line: NodeLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

/** Exits once everything printed so far is written: stdout can be asynchronous (a pipe on macOS). */
export function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.exit(code))
}
