import type { Heard } from './protocol.js'
import { ALL_USERS } from './scenario.js'

/** Everything every user heard, per sender, in arrival order, as the nodes printed it. */
export class Transcripts {
  readonly #heard = new Map<string, Map<string, number[]>>()
  /** The room's numbers, per user, in arrival order. */
  readonly #seqs = new Map<string, number[]>()

  record(heard: Heard): void {
    const seqs = this.#seqs.get(heard.user) ?? []
    seqs.push(heard.seq)
    this.#seqs.set(heard.user, seqs)
    let bySender = this.#heard.get(heard.user)
    if (bySender === undefined) this.#heard.set(heard.user, (bySender = new Map()))
    let ns = bySender.get(heard.from)
    if (ns === undefined) bySender.set(heard.from, (ns = []))
    ns.push(heard.n)
  }

  /** The sender's numbers as `user` received them, in arrival order. */
  of(user: string, sender: string): readonly number[] {
    return this.#heard.get(user)?.get(sender) ?? []
  }

  /** The room's `seq` of every message `user` received, in arrival order. */
  seqsOf(user: string): readonly number[] {
    return this.#seqs.get(user) ?? []
  }

  /** Whether each of `users` has received at least `count` posts from each of `senders`. */
  reached(users: readonly string[], senders: readonly string[], count: number): boolean {
    return users.every((user) => senders.every((sender) => this.of(user, sender).length >= count))
  }
}

/** "1-4", "5", "1-3 5 7-9": a sender's numbers, runs collapsed. */
export function ranges(ns: readonly number[]): string {
  const parts: string[] = []
  let start = ns[0]
  for (let i = 1; i <= ns.length; i++) {
    if (i < ns.length && ns[i] === ns[i - 1]! + 1) continue
    const end = ns[i - 1]!
    parts.push(start === end ? `${end}` : `${start}-${end}`)
    start = ns[i]
  }
  return parts.join(' ')
}

/**
 * What the users heard since the last flush, printed one line per user every second or so: the
 * nodes print a line per message, far too many to read.
 */
export class HeardDisplay {
  #pending = new Map<string, Heard[]>()

  add(heard: Heard): void {
    const list = this.#pending.get(heard.user) ?? []
    list.push(heard)
    this.#pending.set(heard.user, list)
  }

  /** One line per user, in the plan's order, with what it received since the last flush. */
  flush(log: (line: string) => void, nodeOf: (user: string) => string): void {
    for (const user of ALL_USERS) {
      const heard = this.#pending.get(user)
      if (heard === undefined) continue
      const senders = ALL_USERS.filter((sender) => heard.some((h) => h.from === sender))
      const parts = senders.map((sender) => `${sender}#${ranges(heard.filter((h) => h.from === sender).map((h) => h.n))}`)
      log(`  [${nodeOf(user)}] ${user.padEnd(4)} heard ${parts.join('  ')}`)
    }
    this.#pending = new Map()
  }
}
