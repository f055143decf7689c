/** What `system.events` reports. Supervision adds restart events to this union. */
export type SystemEvent =
  | { readonly type: 'actor-failed'; readonly actor: number; readonly error: Error }
  | { readonly type: 'worker-crashed'; readonly thread: number; readonly reason: string }
