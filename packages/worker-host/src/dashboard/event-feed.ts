import type { SystemEvent } from '../system/system-events.js'
import type { DashboardEvent, EventSeverity, EventsMessage } from './feed-types.js'

/** Events a page that opens now sees from before it opened. */
const RECENT = 100
/** Most events in one batch: a storm of failures must not become an unbounded message. */
const MAX_BATCH = 200
/** An error message can be a whole stack or a dump: the page shows a line of it. */
const MAX_TEXT = 400

/** Names the actor in an event, e.g. `Counter "hits" (#12, thread 2)`; `undefined` when main no longer records it. */
export type DescribeActor = (id: number) => string | undefined

/**
 * The stream of system events as the page shows them: each turned into a sentence at once (its
 * actor may be gone later), the last `RECENT` kept for pages that open later, and the rest
 * handed over in bounded batches. `actor-started` is left out: a system spawning many actors
 * would drown the failures that the stream is there to show.
 */
export class EventFeed {
  readonly #describe: DescribeActor
  readonly #recent: DashboardEvent[] = []
  #batch: DashboardEvent[] = []
  #dropped = 0
  #seq = 0

  constructor(describe: DescribeActor) {
    this.#describe = describe
  }

  /** Records an event; false when the page does not show this kind. */
  add(event: SystemEvent, at = Date.now()): boolean {
    const shown = this.#toDashboard(event, at)
    if (!shown) return false
    this.#recent.push(shown)
    if (this.#recent.length > RECENT) this.#recent.shift()
    if (this.#batch.length < MAX_BATCH) this.#batch.push(shown)
    else this.#dropped++
    return true
  }

  get recent(): readonly DashboardEvent[] {
    return [...this.#recent]
  }

  /** The events since the last call (`undefined` when there were none). */
  takeBatch(): EventsMessage | undefined {
    if (this.#batch.length === 0 && this.#dropped === 0) return undefined
    const message = { events: this.#batch, dropped: this.#dropped }
    this.#batch = []
    this.#dropped = 0
    return message
  }

  #toDashboard(event: SystemEvent, at: number): DashboardEvent | undefined {
    const actor = (id: number): string => this.#describe(id) ?? `actor #${id}`
    const make = (severity: EventSeverity, text: string, thread?: number, actorId?: number): DashboardEvent => ({
      seq: ++this.#seq,
      at,
      type: event.type,
      severity,
      thread,
      actor: actorId,
      text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text,
    })
    switch (event.type) {
      case 'actor-started':
        return undefined
      case 'actor-failed':
        return make('warn', `${actor(event.actor)} failed (${event.error.name}: ${event.error.message}); its supervisor decided: ${event.directive}`, undefined, event.actor)
      case 'actor-restarted':
        return make('info', `${this.#describe(event.actor) ?? `actor #${event.actor} on thread ${event.thread}`} restarted (restart ${event.restarts})`, event.thread, event.actor)
      case 'actor-stopped':
        return make('info', `${actor(event.actor)} stopped`, undefined, event.actor)
      case 'worker-crashed':
        return make('error', `worker ${event.thread} crashed: ${event.reason}`, event.thread)
      case 'worker-hung':
        return make('error', `worker ${event.thread} hung: silent for ${event.silentMs} ms; terminating it`, event.thread)
      case 'worker-replaced':
        return make('info', `worker ${event.thread} replaced by a fresh worker`, event.thread)
      case 'worker-recovered':
        return make('info', `worker ${event.thread} recovered: ${event.actors} actor(s) handled by their supervisors`, event.thread)
      case 'fatal':
        return make('error', `fatal: ${event.error.message}; the system is shutting down`)
      default:
        return undefined // a kind added later shows once the page knows how to say it
    }
  }
}
