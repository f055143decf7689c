import { Actor, type ActorLifecycle, type ActorRef, type Cancellable, type DeferredReply } from 'troupe'
import type { Beat, Beating } from './beat.js'
import { TargetWatch, type Incident } from './incidents.js'
import type { ObservedEvent } from './observed-event.js'

export type MonitorSettings = {
  /** How often every target is pinged. */
  readonly intervalMs: number
  /** How long a ping may take before it counts as a missed heartbeat. */
  readonly timeoutMs: number
  /** troupe's `heartbeatTimeoutMs`, to say in the log when the watchdog will act. */
  readonly watchdogTimeoutMs: number
}

export type WatchedTarget = { readonly name: string; readonly ref: ActorRef<Beating> }

/** "`name` answers from an instance other than `instanceBefore`." */
export type FreshInstance = { readonly name: string; readonly instanceBefore: string }

export type TargetSummary = {
  readonly name: string
  readonly thread: number
  readonly instance: string
  readonly beats: number
  readonly misses: number
  readonly restarts: number
}

export type MonitorReport = { readonly targets: readonly TargetSummary[]; readonly incidents: readonly Incident[] }

/** Lines for the log, long-polled by the program; `closed` once the monitor has stopped watching. */
export type Notices = { readonly lines: readonly string[]; readonly closed: boolean }

/**
 * The heartbeat supervisor: pings every KV shard and log writer with an ask that has a short
 * deadline, and reports a miss at once, naming the actor and its worker.
 *
 * It does not kill anything itself, because nothing it could do would help: a handler stuck in
 * a synchronous loop blocks its whole worker, no message reaches it, and JavaScript cannot
 * interrupt a running thread from inside. Only terminating the thread stops it, which troupe's
 * worker watchdog does (`heartbeatTimeoutMs`); then the shard's one-for-all supervisor restarts
 * the pair. The monitor follows that through troupe's events (forwarded to it) and closes the
 * incident when a fresh instance answers, so its log tells the whole story per actor: first sign,
 * watchdog, restart, back. And it tells what the watchdog cannot see: an actor that answers late
 * on a live worker is reported too, and found merely slow when the same instance answers again.
 */
export class HeartbeatMonitor extends Actor<HeartbeatMonitor> implements ActorLifecycle {
  readonly #targets: readonly WatchedTarget[]
  readonly #settings: MonitorSettings
  readonly #watches = new Map<string, TargetWatch>()
  readonly #byActor = new Map<number, TargetWatch>()
  #timer: Cancellable | undefined
  #lines: string[] = []
  #poll: DeferredReply<Notices> | undefined
  #settles: { readonly wanted: readonly FreshInstance[]; readonly reply: DeferredReply<void> }[] = []
  #closed = false

  constructor(targets: readonly WatchedTarget[], settings: MonitorSettings) {
    super()
    this.#targets = targets
    this.#settings = settings
  }

  /** Learns every target's instance and thread, then starts pinging. */
  async onStart(): Promise<void> {
    const firsts = await Promise.all(this.#targets.map((target) => target.ref.ask.beat()))
    this.#targets.forEach((target, i) => {
      const watch = new TargetWatch({ name: target.name, actor: target.ref.id }, firsts[i]!)
      this.#watches.set(target.name, watch)
      this.#byActor.set(target.ref.id, watch)
    })
    this.#tick()
  }

  /**
   * Pings every target that is not still answering the previous ping, and comes back in
   * `intervalMs`. The timer's callback runs as a message of the monitor, so its state only
   * ever changes inside a handler; a stop or restart cancels it.
   */
  #tick(): void {
    if (this.#closed) return
    this.#timer = this.ctx.schedule(this.#settings.intervalMs, () => this.#tick())
    for (const target of this.#targets) {
      const watch = this.#watches.get(target.name)!
      if (watch.awaiting) continue
      watch.awaiting = true
      this.ctx.pipeToSelf(
        target.ref.with({ timeoutMs: this.#settings.timeoutMs }).ask.beat(),
        (beat) => this.#answered(watch, beat),
        (error) => this.#missed(watch, error),
      )
    }
  }

  /** troupe's events about workers and restarts, forwarded by the program that owns the system. */
  observe(event: ObservedEvent): void {
    const now = Date.now()
    switch (event.type) {
      case 'worker-hung': {
        const hosted = this.#on(event.thread)
        for (const watch of hosted) watch.watchdog('hung', now)
        this.#say(`troupe's watchdog: worker ${event.thread} silent for ${event.silentMs} ms${hosting(hosted)}: terminating it`)
        break
      }
      case 'worker-crashed': {
        const hosted = this.#on(event.thread)
        for (const watch of hosted) watch.watchdog('crashed', now)
        // A hung worker's termination is reported as a crash too; the line above said it.
        if (!event.reason.startsWith('hung')) this.#say(`troupe: worker ${event.thread} died (${event.reason})${hosting(hosted)}`)
        break
      }
      case 'worker-replaced':
        this.#say(`troupe: a fresh worker ${event.thread} took its place; the shard supervisors restart what it hosted`)
        break
      case 'actor-restarted': {
        const watch = this.#byActor.get(event.actor)
        if (watch === undefined) break
        watch.restarted()
        this.#say(`supervisor: ${watch.name} restarted (restart #${event.restarts})`)
        break
      }
      case 'actor-failed': {
        const watch = this.#byActor.get(event.actor)
        // A failure from a dead worker is the worker's story, told above.
        if (watch !== undefined && event.code !== 'ERR_WORKER_CRASHED') this.#say(`supervisor: ${watch.name} failed (${event.error}) → ${event.directive}`)
        break
      }
    }
    this.#checkSettles()
  }

  /** The next lines for the log: at once if there are any, else as soon as there are. */
  notices(): DeferredReply<Notices> {
    const reply = this.ctx.deferReply<Notices>()
    this.#poll?.resolve({ lines: [], closed: this.#closed })
    this.#poll = reply
    this.#flush()
    return reply
  }

  /** Answers once every `wanted` actor answers from a fresh instance and no incident is open. */
  settled(wanted: readonly FreshInstance[]): DeferredReply<void> {
    const reply = this.ctx.deferReply<void>()
    const unknown = wanted.filter(({ name }) => !this.#watches.has(name))
    if (unknown.length > 0) {
      reply.reject(new Error(`the monitor does not watch ${unknown.map(({ name }) => name).join(', ')}`))
      return reply
    }
    this.#settles.push({ wanted, reply })
    this.#checkSettles()
    return reply
  }

  report(): MonitorReport {
    const watches = [...this.#watches.values()]
    return {
      targets: watches.map(({ name, thread, instance, beats, misses, restarts }) => ({ name, thread, instance, beats, misses, restarts })),
      incidents: watches.flatMap((watch) => watch.incidents).sort((a, b) => a.openedAt - b.openedAt),
    }
  }

  /** Stops pinging; the log's poller gets what is left and learns that it is over. */
  close(): void {
    this.#closed = true
    this.#timer?.cancel()
    this.#flush()
  }

  onStop(): void {
    this.close()
    for (const { reply } of this.#settles.splice(0)) reply.reject(new Error('the heartbeat monitor stopped'))
  }

  #answered(watch: TargetWatch, beat: Beat): void {
    watch.awaiting = false
    const incident = watch.answered(beat, Date.now())
    if (incident?.outcome === 'answered-late') {
      this.#say(`monitor: ${watch.name} answered again after ${incident.closedAt - incident.openedAt} ms, same instance: slow, not stuck; nothing was reset`)
    } else if (incident?.firstSign === 'fresh-instance') {
      this.#say(`monitor: ${watch.name} is a fresh instance on worker ${beat.thread} (restarted with its partner): ${beat.detail}`)
    } else if (incident !== undefined) {
      this.#say(`monitor: ${watch.name} back on worker ${beat.thread}, ${incident.closedAt - incident.openedAt} ms after the first sign, as a fresh instance: ${beat.detail}`)
    }
    this.#checkSettles()
  }

  #missed(watch: TargetWatch, error: unknown): void {
    watch.awaiting = false
    if (this.#closed || !watch.missed(Date.now())) return
    const code = (error as { code?: unknown } | null)?.code
    const why = code === 'ERR_ASK_TIMEOUT' ? `no answer within ${this.#settings.timeoutMs} ms` : code === 'ERR_WORKER_CRASHED' ? 'its worker is gone' : String(error)
    this.#say(
      `monitor: ${watch.name} on worker ${watch.thread} missed a heartbeat (${why}). A stuck handler can only be stopped by ending its thread: ` +
        `troupe's watchdog does that after ${this.#settings.watchdogTimeoutMs} ms of silence, then the supervisor restarts the pair`,
    )
  }

  #checkSettles(): void {
    if (this.#settles.length === 0 || [...this.#watches.values()].some((watch) => watch.inIncident)) return
    this.#settles = this.#settles.filter(({ wanted, reply }) => {
      if (!wanted.every(({ name, instanceBefore }) => this.#watches.get(name)?.instance !== instanceBefore)) return true
      reply.resolve()
      return false
    })
  }

  #on(thread: number): TargetWatch[] {
    return [...this.#watches.values()].filter((watch) => watch.thread === thread)
  }

  #say(line: string): void {
    this.#lines.push(line)
    this.#flush()
  }

  #flush(): void {
    if (this.#poll === undefined || (this.#lines.length === 0 && !this.#closed)) return
    this.#poll.resolve({ lines: this.#lines.splice(0), closed: this.#closed })
    this.#poll = undefined
  }
}

function hosting(watches: readonly TargetWatch[]): string {
  return watches.length === 0 ? '' : ` (it hosts ${watches.map((watch) => watch.name).join(', ')})`
}
