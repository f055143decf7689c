import type { Check, Observations } from './checks.js'
import type { TimedEvent } from './event-log.js'
import { compact, exact } from '../shared/format.js'
import { throughKilledWorker } from './outcomes.js'
import { checkLines, ledgerTable, resendLine, summaryTable } from './report.js'

export interface SummaryInput {
  readonly observed: Observations
  readonly checks: readonly Check[]
  readonly ok: boolean
  readonly events: readonly TimedEvent[]
}

/** The end of the run: throughput per thread, the kill and its recovery, retransmissions, the ledger, the checks. */
export function printSummary({ observed, checks, ok, events }: SummaryInput, log: (line: string) => void): void {
  const { run, kill, pipelines, chunkSize } = observed
  const chunks = pipelines.reduce((total, p) => total + p.ledger.chunks, 0)
  const values = pipelines.reduce((total, p) => total + p.ledger.count, 0)
  const duplicates = pipelines.reduce((total, p) => total + p.ledger.duplicates, 0)

  log('')
  log(`Summary: ${exact(run.processed)} messages in ${run.seconds.toFixed(1)} s; ${exact(chunks)} chunks of ${exact(chunkSize)} values (${exact(values)} values) in the ledger, each exactly once`)
  for (const line of summaryTable(run)) log(`  ${line}`)

  log('')
  log(`Kill and recovery: worker ${kill.thread}`)
  const after = (type: TimedEvent['event']['type']): string => {
    const seen = events.find(({ at, event }) => event.type === type && 'thread' in event && event.thread === kill.thread && at >= kill.orderedAt)
    return seen === undefined ? `${type} never` : `${type} +${(seen.at - kill.orderedAt).toFixed(0)} ms`
  }
  log(`  kill ordered at ${(kill.orderedAt / 1000).toFixed(2)} s; ${after('worker-crashed')}, ${after('worker-replaced')}, ${after('worker-recovered')}`)
  log(`  recovery time: ${(kill.answeredAt - kill.orderedAt).toFixed(0)} ms from the kill to all ${kill.victims.length} of its actors answering again (${kill.victims.map((v) => v.label).join(', ')})`)
  const through = pipelines.filter((p) => throughKilledWorker(p, kill))
  const resumed = through.reduce((total, p) => total + p.committedAfterRecovery, 0)
  log(`  after the recovery, the ${through.length} streams through worker ${kill.thread} committed ${exact(resumed)} more chunks`)

  log('')
  log('Retransmissions')
  log(`  ${resendLine(pipelines)}; the ledger received ${exact(duplicates)} chunks it already held, and counted each once`)
  log('  (a chunk is sent again when its acknowledgement fails: a duplicate if it had been committed and only the')
  log('  acknowledgement died with the worker, a first record if its values died with the worker)')
  for (const line of ledgerTable(pipelines)) log(`  ${line}`)

  log('')
  log(`Dead letters: ${exact(observed.deadLetters.total)} (${exact(observed.deadLetters.toKilledWorker)} addressed to actors of worker ${kill.thread})`)
  log(`  Tells sent to worker ${kill.thread}'s actors once its death was known were held for the restarted actors, not dropped.`)
  log('  Tells already posted to the dying thread died with it, uncounted: troupe cannot see them. So the dead-letter')
  log('  count does not measure loss; the ledger does, and it holds every chunk.')

  log('')
  log('Checks')
  for (const line of checkLines(checks)) log(`  ${line}`)
  log('')
  log(ok ? `PASS: all ${checks.length} checks (${compact(run.processed / run.seconds)} msg/s overall)` : `FAIL: ${checks.filter((c) => !c.passed).length} of ${checks.length} checks failed`)
}
