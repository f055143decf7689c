// Entities of cluster.failover.ms, sharded over both nodes of the pair. Workers of both nodes
// import this module (cluster-actor-modules.ts), so it holds only entity classes.
import { Entity } from 'troupe'

/** What a ledger answers: its total, and the process whose activation answered (which node hosts it). */
export interface LedgerView {
  readonly total: number
  readonly pid: number
}

/**
 * A running total per key. `add` commits state; `get` reads it only, so asks retried during a
 * failover cannot change the total the benchmark checks once the key answers on its new node.
 */
export class FailoverLedger extends Entity<FailoverLedger, { total: number }> {
  static readonly entityName = 'bench-failover-ledger'
  state = { total: 0 }

  add(n: number): LedgerView {
    this.state.total += n
    return { total: this.state.total, pid: process.pid }
  }

  get(): LedgerView {
    return { total: this.state.total, pid: process.pid }
  }
}
