import { exact, row, rule, type Column } from '../shared/format.js'
import type { Diff } from './audit.js'
import type { Check, FaultRecord } from './checks.js'
import { describeFault } from './fault-plan.js'
import type { Incident } from './incidents.js'
import type { LiveResult } from './live-run.js'

export type Summary = {
  readonly live: LiveResult
  readonly fileDiff: Diff
  readonly coldDiff: Diff
  readonly files: { readonly records: number; readonly lines: number; readonly bytes: number }
  readonly checks: readonly Check[]
  readonly seconds: number
}

/** Everything printed after the run: the fault table, where the keys are, the counters, the checks, the verdict. */
export function summaryLines({ live, fileDiff, coldDiff, files, checks, seconds }: Summary): string[] {
  const where: (readonly [string, Diff])[] = [
    ['read through the router after the faults', live.throughRouter],
    ["in the log files on disk (all shards' files)", fileDiff],
    ['after a cold restart, through a new router', coldDiff],
  ]
  const { ledger, totals } = live
  const writers = live.writers.map(
    (w, i) => `${live.shards[i]!.shard} made ${exact(w.appends)} appends durable with ${exact(w.flushes)} fsyncs (up to ${exact(w.largestGroup)} per fsync) and compacted ${times(w.compactions)}`,
  )
  const passed = checks.filter((check) => check.passed).length
  return [
    '',
    ...faultTable(live.faults, live.incidents).map((line) => `  ${line}`),
    '',
    ...whereTable(ledger.liveKeys, where).map((line) => `  ${line}`),
    '',
    `  clients: ${exact(ledger.sets)} sets and ${exact(ledger.deletes)} deletes acknowledged, ${exact(totals.reads)} reads; ${exact(totals.retries)} retries (${describeCodes(totals.retriesByCode)})`,
    `  writers, since their last restart: ${writers.join('; ')}`,
    `  files: ${exact(files.records)} records in ${exact(files.lines)} lines, ${exact(files.bytes)} bytes, for ${exact(ledger.writes)} acknowledged writes`,
    `  troupe: ${exact(live.worker.crashes)} workers died, ${exact(live.worker.hangs)} of them hung; ${exact(live.worker.restarts)} actor restarts; ${exact(live.deadLetters)} dead letters`,
    '',
    ...checkLines(checks).map((line) => `  ${line}`),
    '',
    `${passed === checks.length ? 'PASS' : 'FAIL'}: ${passed}/${checks.length} checks, ${seconds.toFixed(1)} s`,
  ]
}

const times = (n: number): string => (n === 1 ? 'once' : `${exact(n)} times`)

function describeCodes(codes: Readonly<Record<string, number>>): string {
  const parts = Object.entries(codes).map(([code, n]) => `${exact(n)} × ${code}`)
  return parts.length === 0 ? 'none' : parts.join(', ')
}

const WHERE_COLUMNS: readonly Column[] = [
  { width: 44, align: 'left' },
  { width: 6, align: 'right' },
  { width: 6, align: 'right' },
  { width: 8, align: 'right' },
  { width: 6, align: 'right' },
]

/** The same keys counted wherever they live: every row must read exact = keys, the rest 0. */
export function whereTable(ledgerKeys: number, rows: readonly (readonly [string, Diff])[]): string[] {
  return [
    row(WHERE_COLUMNS, ['', 'keys', 'exact', 'missing', 'wrong']),
    rule(WHERE_COLUMNS),
    row(WHERE_COLUMNS, ['acknowledged to clients (the ledger)', exact(ledgerKeys), '', '', '']),
    ...rows.map(([label, diff]) =>
      row(WHERE_COLUMNS, [label, exact(diff.expected - diff.missing + diff.extra), exact(diff.expected - diff.missing - diff.wrong), exact(diff.missing), exact(diff.wrong)]),
    ),
  ]
}

const FAULT_COLUMNS: readonly Column[] = [
  { width: 16, align: 'left' },
  { width: 6, align: 'right' },
  { width: 32, align: 'left' },
  { width: 17, align: 'left' },
  { width: 9, align: 'right' },
  { width: 28, align: 'left' },
]

/** One line per fault: what showed first, what reset it, how long until both actors answered again. */
export function faultTable(faults: readonly FaultRecord[], incidents: readonly Incident[]): string[] {
  return [
    row(FAULT_COLUMNS, ['fault', 'worker', 'first sign', 'reset by', 'back in', 'partner']),
    rule(FAULT_COLUMNS),
    ...faults.map((fault) => {
      const since = (name: string): Incident | undefined => incidents.find((incident) => incident.target === name && incident.openedAt >= fault.injectedAt)
      const hit = since(fault.target)
      const partner = since(fault.partner)
      const firstSign = hit === undefined ? 'none seen' : `${hit.firstSign}${hit.missedBeats > 0 ? `, ${hit.missedBeats} missed` : ''}`
      // A kill ends the thread by itself; a hang ends only when troupe's watchdog terminates it.
      const resetBy = hit?.watchdog === undefined ? '?' : hit.watchdog.kind === 'hung' ? 'troupe watchdog' : 'worker exit'
      return row(FAULT_COLUMNS, [
        describeFault(fault.fault),
        String(fault.thread),
        firstSign,
        resetBy,
        fault.recovered ? `${exact(Math.round(fault.recoveryMs))} ms` : 'NOT',
        partner?.outcome === 'restarted' ? `${fault.partner} restarted with it` : `${fault.partner}: no restart seen`,
      ])
    }),
  ]
}

export function checkLines(checks: readonly Check[]): string[] {
  return checks.map((check) => `${check.passed ? 'ok  ' : 'FAIL'}  ${check.id.padEnd(28)} ${check.detail}`)
}
