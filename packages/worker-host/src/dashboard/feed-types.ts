/**
 * What the dashboard's page receives over server-sent events, as plain JSON. The page
 * (page/*.js) reads exactly these shapes; `/state.json` serves the latest of them in one object.
 */
import type { MailboxFigure } from '../metrics/thread-snapshot.js'

/**
 * - `up`: answered the last sample.
 * - `not-answering`: did not answer within `sampleTimeoutMs` (busy, or hung before the watchdog acts).
 * - `hung`: the watchdog found it hung and is terminating it.
 * - `crashed`: the worker died; its replacement has not answered yet.
 */
export type ThreadStatus = 'up' | 'not-answering' | 'hung' | 'crashed'

/** One actor type's figures on a thread. `processed` counts only with the system's `metrics` option. */
export interface TypeRow {
  readonly type: string
  readonly actors: number
  readonly mailboxDepth: number
  readonly processed: number
}

export interface ThreadRow {
  /** 0 is the main thread, 1..N the workers. */
  readonly thread: number
  readonly status: ThreadStatus
  /** Workers that held this slot before the current one. Last known when it does not answer. */
  readonly generation: number
  /** Workers of this slot that died since the dashboard started. */
  readonly crashes: number
  /** The figures of the last answer; `undefined` until the thread first answers. */
  readonly actors: number | undefined
  readonly mailboxDepth: number | undefined
  readonly processed: number | undefined
  /** Event-loop utilisation (0..1) since the previous sample; `null` without an answer this time. */
  readonly utilization: number | null
  /** Messages processed per second since the previous sample; `null` without two answers of one generation. */
  readonly throughput: number | null
  /** Per-type figures and the thread's deepest mailboxes, from the last answer. */
  readonly types: readonly TypeRow[] | undefined
  readonly largestMailboxes: readonly MailboxFigure[] | undefined
}

/** One actor of the supervision tree as the main thread records it. */
export interface TreeNode {
  readonly id: number
  readonly name: string | undefined
  /** The class's export name; for a `local` node, `undefined`. */
  readonly type: string | undefined
  readonly thread: number | undefined
  readonly restarts: number
  /** Its worker died and it is waiting to be re-created. */
  readonly lost: boolean
  /**
   * An actor of a worker's local tree that main does not record, shown only as the parent of
   * children it had the system place (which main does record).
   */
  readonly local: boolean
  readonly children: readonly TreeNode[]
  /** Children recorded on main but not shown (past the node cap). */
  readonly hiddenChildren: number
}

export interface TreeView {
  readonly roots: readonly TreeNode[]
  /** Actors the main thread records. */
  readonly recorded: number
  /** Actors shown (placeholders for local parents not counted). */
  readonly shown: number
}

export interface DeadLetterView {
  readonly total: number
  readonly byReason: Readonly<Record<string, number>>
}

export interface DashboardSample {
  /** When it was taken, ms since the Unix epoch. */
  readonly at: number
  readonly threads: readonly ThreadRow[]
  readonly deadLetters: DeadLetterView
  readonly tree: TreeView
}

export type EventSeverity = 'info' | 'warn' | 'error'

/** A system event as the page shows it. */
export interface DashboardEvent {
  /** Numbered from 1 in the order they happened. */
  readonly seq: number
  /** ms since the Unix epoch. */
  readonly at: number
  readonly type: string
  readonly severity: EventSeverity
  readonly thread: number | undefined
  readonly actor: number | undefined
  /** One sentence for people. */
  readonly text: string
}

/** One point of each thread's charts. */
export interface ChartPoint {
  readonly at: number
  readonly threads: readonly { readonly thread: number; readonly utilization: number | null; readonly throughput: number | null }[]
}

/** The first message of a stream: everything needed to draw the page at once. */
export interface HelloMessage {
  readonly workers: number
  readonly intervalMs: number
  readonly history: readonly ChartPoint[]
  readonly events: readonly DashboardEvent[]
  readonly latest: DashboardSample | undefined
}

/** Events since the previous batch, in order; `dropped` counts those left out to keep batches bounded. */
export interface EventsMessage {
  readonly events: readonly DashboardEvent[]
  readonly dropped: number
}
