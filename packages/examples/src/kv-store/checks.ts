import { exact } from '../shared/format.js'
import { isExact, type Diff } from './audit.js'
import type { FaultOutcome } from './fault-plan.js'
import { describeFault } from './fault-plan.js'
import type { Incident } from './incidents.js'
import type { WorkloadTotals } from './workload.js'

export type CheckId =
  | 'every-write-acknowledged'
  | 'reads-exact-throughout'
  | 'router-matches-ledger'
  | 'shards-match-files'
  | 'files-match-ledger'
  | 'cold-restart-matches-ledger'
  | 'faults-detected-and-reset'
  | 'log-compacted'

export type Check = { readonly id: CheckId; readonly passed: boolean; readonly detail: string }

export type FaultRecord = FaultOutcome & {
  /** Epoch ms of the fault, to find its incidents. */
  readonly injectedAt: number
}

export type KvObservations = {
  readonly acknowledgedWrites: number
  readonly workload: WorkloadTotals
  /** Every key read through the router after the clients stopped, against the ledger. */
  readonly throughRouter: Diff
  /** Each shard's map against its own file. */
  readonly shardsVsFiles: readonly { readonly shard: string; readonly diff: Diff }[]
  /** All the files together against the ledger. */
  readonly files: { readonly diff: Diff; readonly duplicates: number; readonly tornBytes: number; readonly records: number }
  /** A new system started on the same files, read through its router, against the ledger. */
  readonly coldRestart: Diff
  readonly faults: readonly FaultRecord[]
  readonly incidents: readonly Incident[]
}

/** Every acknowledged write, with its exact value, wherever one looks; and every fault found and undone. */
export function checkKvStore(o: KvObservations): Check[] {
  const { workload } = o
  return [
    {
      id: 'every-write-acknowledged',
      passed: workload.gaveUp.length === 0,
      detail: `${exact(o.acknowledgedWrites)} writes acknowledged; ${exact(workload.gaveUp.length)} requests given up${workload.gaveUp[0] ? ` (${workload.gaveUp[0].op} ${workload.gaveUp[0].key}: ${workload.gaveUp[0].error})` : ''}`,
    },
    {
      id: 'reads-exact-throughout',
      passed: workload.staleReads.length === 0,
      detail: `${exact(workload.reads)} reads during the run, ${exact(workload.staleReads.length)} not the last acknowledged value`,
    },
    diffCheck('router-matches-ledger', 'read through the router', o.throughRouter),
    {
      id: 'shards-match-files',
      passed: o.shardsVsFiles.every(({ diff }) => isExact(diff)),
      detail: o.shardsVsFiles.map(({ shard, diff }) => (isExact(diff) ? `${shard}: its map = its file (${exact(diff.expected)} keys)` : `${shard}: its map against its file: ${describeDiff(diff)}`)).join('; '),
    },
    {
      ...diffCheck('files-match-ledger', 'in the files on disk', o.files.diff),
      passed: isExact(o.files.diff) && o.files.duplicates === 0 && o.files.tornBytes === 0,
      detail: `in the files on disk: ${describeDiff(o.files.diff)}; ${exact(o.files.duplicates)} keys in two files, ${exact(o.files.tornBytes)} torn bytes`,
    },
    diffCheck('cold-restart-matches-ledger', 'after a cold restart, through a new router', o.coldRestart),
    faultsCheck(o.faults, o.incidents),
    {
      id: 'log-compacted',
      passed: o.files.records < o.acknowledgedWrites,
      detail: `${exact(o.files.records)} records left in the files for ${exact(o.acknowledgedWrites)} acknowledged writes (one record each): compaction dropped the overwritten ones`,
    },
  ]
}

function diffCheck(id: CheckId, where: string, diff: Diff): Check {
  return { id, passed: isExact(diff), detail: `${where}: ${describeDiff(diff)}` }
}

function describeDiff(diff: Diff): string {
  const base = `${exact(diff.expected - diff.missing - diff.wrong)} of ${exact(diff.expected)} keys exact, ${exact(diff.missing)} missing, ${exact(diff.wrong)} wrong, ${exact(diff.extra)} that should be absent`
  return diff.examples.length === 0 ? base : `${base} (${diff.examples.join('; ')})`
}

/**
 * Each fault was detected by the monitor or troupe, reset by troupe's watchdog (a hang) or
 * worker-exit handling (a kill), and the shard's pair came back as fresh instances.
 */
function faultsCheck(faults: readonly FaultRecord[], incidents: readonly Incident[]): Check {
  const verdicts = faults.map((fault) => {
    const since = (name: string): Incident | undefined => incidents.find((incident) => incident.target === name && incident.openedAt >= fault.injectedAt)
    const hit = since(fault.target)
    const partner = since(fault.partner)
    const reset = hit?.watchdog?.kind === (fault.fault.kind === 'hang' ? 'hung' : 'crashed')
    const ok = fault.recovered && reset && hit?.outcome === 'restarted' && partner?.outcome === 'restarted'
    return { ok, text: `${describeFault(fault.fault)}: ${ok ? `reset and back in ${exact(Math.round(fault.recoveryMs))} ms` : `NOT recovered (incident ${hit === undefined ? 'missing' : `${hit.firstSign} → ${hit.watchdog?.kind ?? 'no watchdog'} → ${hit.outcome}`}, partner ${partner?.outcome ?? 'not restarted'})`}` }
  })
  return {
    id: 'faults-detected-and-reset',
    passed: faults.length > 0 && verdicts.every(({ ok }) => ok),
    detail: verdicts.map(({ text }) => text).join('; '),
  }
}
