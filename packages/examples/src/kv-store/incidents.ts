import type { Beat } from './beat.js'

/** How an incident began: what was seen first. */
export type FirstSign = 'missed-heartbeat' | 'worker-hung' | 'worker-crashed' | 'fresh-instance'

/** One stretch during which a watched actor was not answering as itself, until it did again. */
export type Incident = {
  readonly target: string
  readonly firstSign: FirstSign
  /** Epoch ms. An incident seen only through its result (a fresh instance) opens and closes at once. */
  readonly openedAt: number
  /** Heartbeats that went unanswered (timed out, or failed) during the incident. */
  readonly missedBeats: number
  /** What troupe's watchdog reported about the target's worker, if anything. */
  readonly watchdog: { readonly kind: 'hung' | 'crashed'; readonly at: number } | undefined
  /** Restarts of the target by its supervisor during the incident. */
  readonly restarts: number
  readonly closedAt: number
  /** `restarted`: a fresh instance answered. `answered-late`: the same instance did; it was slow, not stuck. */
  readonly outcome: 'restarted' | 'answered-late'
  readonly instanceBefore: string
  readonly instanceAfter: string
}

type OpenIncident = { -readonly [K in keyof Incident]: Incident[K] }

/** Who is watched: a name for people, and the actor id that troupe's events use. */
export type TargetInfo = { readonly name: string; readonly actor: number }

/**
 * The monitor's view of one watched actor: its last known instance and thread, the heartbeats
 * it answered and missed, and the incident in progress, if any. Plain bookkeeping, no I/O:
 * the monitor feeds it what it sees and prints what it returns.
 */
export class TargetWatch {
  readonly name: string
  readonly actor: number
  thread: number
  instance: string
  beats = 0
  misses = 0
  /** Restarts of the target that troupe reported (a re-creation after its worker died counts). */
  restarts = 0
  /** A heartbeat is on its way: the next tick does not send another. */
  awaiting = false
  readonly incidents: Incident[] = []
  #open: OpenIncident | undefined

  constructor(target: TargetInfo, first: Beat) {
    this.name = target.name
    this.actor = target.actor
    this.thread = first.thread
    this.instance = first.instance
  }

  get inIncident(): boolean {
    return this.#open !== undefined
  }

  /** Returns true when this miss opened an incident (the first sign of trouble). */
  missed(at: number): boolean {
    this.misses++
    const opened = this.#openIfNone('missed-heartbeat', at)
    this.#open!.missedBeats++
    return opened
  }

  watchdog(kind: 'hung' | 'crashed', at: number): void {
    this.#openIfNone(kind === 'hung' ? 'worker-hung' : 'worker-crashed', at)
    // A hung worker is reported as hung, then as crashed when it is terminated: keep the cause.
    this.#open!.watchdog ??= { kind, at }
  }

  /**
   * troupe reported a restart. It does not open an incident by itself: the event and the fresh
   * instance's first answer travel separately and may come in either order.
   */
  restarted(): void {
    this.restarts++
    if (this.#open !== undefined) this.#open.restarts++
  }

  /** An answer. Returns the incident it closed, if it closed one. */
  answered(beat: Beat, at: number): Incident | undefined {
    this.beats++
    this.thread = beat.thread
    const before = this.instance
    const fresh = beat.instance !== before
    this.instance = beat.instance
    const open = this.#open
    if (open === undefined) {
      // Restarted along with a sibling (one-for-all) between two heartbeats: no miss, no
      // watchdog, only a fresh instance. Still an incident, of no measurable length.
      if (!fresh) return undefined
      return this.#close({ ...this.#opened('fresh-instance', at, before), outcome: 'restarted', instanceAfter: beat.instance })
    }
    // The old instance answering once a reset was under way (a late reply) does not end it.
    if (!fresh && (open.watchdog !== undefined || open.restarts > 0)) return undefined
    return this.#close({ ...open, closedAt: at, outcome: fresh ? 'restarted' : 'answered-late', instanceAfter: beat.instance })
  }

  #openIfNone(firstSign: FirstSign, at: number): boolean {
    if (this.#open !== undefined) return false
    this.#open = this.#opened(firstSign, at, this.instance)
    return true
  }

  #opened(firstSign: FirstSign, at: number, instance: string): OpenIncident {
    return { target: this.name, firstSign, openedAt: at, missedBeats: 0, watchdog: undefined, restarts: 0, closedAt: at, outcome: 'restarted', instanceBefore: instance, instanceAfter: instance }
  }

  #close(incident: Incident): Incident {
    this.#open = undefined
    this.incidents.push(incident)
    return incident
  }
}
