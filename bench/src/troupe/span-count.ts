// tell.cross-thread.traced: a span processor that counts ended spans and drops them, and how the
// main thread asks each worker for its count. Shared by the workers' preload and the main side.
import type { SpanProcessor } from '@opentelemetry/sdk-trace-node'

/** The BroadcastChannel the workers' preload answers count requests on. */
export const SPAN_COUNT_CHANNEL = 'troupe-bench-span-count'

/** Main → every worker: report your count, tagged with `request`. */
export interface SpanCountRequest {
  readonly kind: 'span-count?'
  readonly request: number
}

/** A worker → main: spans ended on thread `threadId` since its provider was registered. */
export interface SpanCountReply {
  readonly kind: 'span-count'
  readonly request: number
  readonly threadId: number
  readonly spans: number
}

export function isSpanCountRequest(data: unknown): data is SpanCountRequest {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'span-count?'
}

export function isSpanCountReply(data: unknown): data is SpanCountReply {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'span-count'
}

/**
 * Counts spans as they end and keeps none: the SDK still creates, samples and ends every span
 * (the cost under test), but nothing is exported and memory stays flat over a million spans.
 */
export class CountingSpanProcessor implements SpanProcessor {
  ended = 0

  onStart(): void {}

  onEnd(): void {
    this.ended++
  }

  forceFlush(): Promise<void> {
    return Promise.resolve()
  }

  shutdown(): Promise<void> {
    return Promise.resolve()
  }
}
