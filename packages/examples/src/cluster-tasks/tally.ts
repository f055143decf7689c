import { Actor, type DeferredReply } from 'troupe'

/** The one effect of a job: which node applied it, on which attempt. */
export interface Effect {
  readonly id: string
  readonly node: string
  readonly attempt: number
}

export interface TallySnapshot {
  readonly expected: number
  readonly applied: number
  /** Effects per node that applied them. */
  readonly byNode: Readonly<Record<string, number>>
  /** Attempts that came to apply an effect already applied: redeliveries of jobs whose node died before its ack. */
  readonly duplicates: readonly Effect[]
  readonly effects: readonly Effect[]
}

/**
 * The job's effect, kept once per job id: the "database" of the example, on node a. Workers of
 * every node ask it across the cluster (a ref looked up by name on node a). A job can run more
 * than once (at-least-once delivery), so `apply` is idempotent: a second attempt at the same id
 * changes nothing and hears 'duplicate'.
 */
export class Tally extends Actor {
  readonly #expected: number
  readonly #effects = new Map<string, Effect>()
  readonly #duplicates: Effect[] = []
  #waiting: DeferredReply<TallySnapshot>[] = []

  constructor(expected: number) {
    super()
    this.#expected = expected
  }

  apply(id: string, node: string, attempt: number): 'applied' | 'duplicate' {
    if (this.#effects.has(id)) {
      this.#duplicates.push({ id, node, attempt })
      return 'duplicate'
    }
    this.#effects.set(id, { id, node, attempt })
    if (this.#effects.size === this.#expected) {
      for (const reply of this.#waiting) reply.resolve(this.snapshot())
      this.#waiting = []
    }
    return 'applied'
  }

  snapshot(): TallySnapshot {
    const byNode: Record<string, number> = {}
    for (const { node } of this.#effects.values()) byNode[node] = (byNode[node] ?? 0) + 1
    return { expected: this.#expected, applied: this.#effects.size, byNode, duplicates: [...this.#duplicates], effects: [...this.#effects.values()] }
  }

  /** Answers once every expected job has its effect. */
  whenComplete(): DeferredReply<TallySnapshot> {
    const reply = this.ctx.deferReply<TallySnapshot>()
    if (this.#effects.size >= this.#expected) reply.resolve(this.snapshot())
    else this.#waiting.push(reply)
    return reply
  }
}
