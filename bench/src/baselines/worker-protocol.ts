// Control messages between the main thread and baseline workers (on parentPort; data uses its own ports).

/** Every baseline worker posts this once it is set up, so spawn cost stays out of timed sections. */
export interface ReadyReport {
  readonly kind: 'ready'
}

/**
 * Narrows by the `kind` tag only: these are our own workers' messages, and a full shape check would
 * just repeat the type declarations.
 */
export function hasKind<T extends { readonly kind: string }>(kind: T['kind']) {
  return (message: unknown): message is T =>
    typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === kind
}

export const isReady = hasKind<ReadyReport>('ready')
