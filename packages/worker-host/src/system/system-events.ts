import type { Directive, SupervisionError } from '@troupe/core'

/** What `system.events` reports, for logs and metrics. */
export type SystemEvent =
  /**
   * An actor the main thread records (top-level, or spawned on another thread than its parent's)
   * was spawned and its `onStart` completed. Children spawned on their parent's thread are not
   * reported one by one (it would cost the main thread a message per spawn).
   */
  | { readonly type: 'actor-started'; readonly actor: number; readonly thread: number; readonly name: string | undefined }
  /** A handler or lifecycle hook threw (or the actor's worker died); `directive` is what its supervisor decided. */
  | { readonly type: 'actor-failed'; readonly actor: number; readonly error: Error; readonly directive: Directive }
  /** A supervisor restarted the actor (a fresh instance, same mailbox). */
  | { readonly type: 'actor-restarted'; readonly actor: number; readonly thread: number; readonly restarts: number }
  /** The actor stopped for good (for a child on its parent's thread: only when its supervisor stopped it). */
  | { readonly type: 'actor-stopped'; readonly actor: number }
  /** A worker died (exit, uncaught error, out of memory, or terminated because it hung). */
  | { readonly type: 'worker-crashed'; readonly thread: number; readonly reason: string }
  /** A worker missed its heartbeats and is being terminated. */
  | { readonly type: 'worker-hung'; readonly thread: number; readonly silentMs: number }
  /** A fresh worker took the dead one's place (its actors are not re-created yet). */
  | { readonly type: 'worker-replaced'; readonly thread: number }
  /** Every actor the dead worker hosted has been handled by its supervisor (restarted or stopped). */
  | { readonly type: 'worker-recovered'; readonly thread: number; readonly actors: number }
  /** The guardian gave up: the system is shutting down with this error. */
  | { readonly type: 'fatal'; readonly error: SupervisionError }
  /** A node joined the cluster (or was there when this one joined). `id` is its id for this run. */
  | { readonly type: 'node-up'; readonly node: string; readonly id: number }
  /**
   * A node is down: it left, stopped answering heartbeats for `cluster.downAfterMs`, or restarted.
   * `self`: this node itself was declared down (by the others, or cut off from NATS); it stays down
   * until its process restarts.
   */
  | { readonly type: 'node-down'; readonly node: string; readonly id: number; readonly reason: string; readonly self: boolean }
