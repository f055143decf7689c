// The summary for people.
import type { ClusterPipelineSummary } from './summary.js'

export function reportLines(s: ClusterPipelineSummary): string[] {
  const lines = ['', `summary (${s.users} users, ${s.events} events, ${s.seconds.toFixed(1)} s)`]
  lines.push('  node  attempts  mails  retried  dead  handler stats (done, retried, dead, peakRunning)')
  for (const [node, n] of Object.entries(s.nodes)) {
    const stats = n.stats ? `${n.stats.done}, ${n.stats.retried}, ${n.stats.dead}, ${n.stats.peakRunning}` : '-'
    lines.push(`  ${node.padEnd(4)}  ${String(n.attempts).padStart(8)}  ${String(n.mails).padStart(5)}  ${String(n.retried).padStart(7)}  ${String(n.dead).padStart(4)}  ${stats}`)
  }
  lines.push(`  retries (user#attempt planned delay → observed gap, node → node): ${s.retries.map((r) => `${r.user}#${r.attempt} ${r.delayMs}→${r.gapMs}ms ${r.from}→${r.to}`).join(', ')}`)
  for (const dead of s.deadLetters.reported) lines.push(`  dead letter (reported by the report-dead handler on node ${dead.reportedBy}): ${dead.user ?? '?'} <${dead.email ?? '?'}>, ${dead.attempts} attempts of ${dead.handler}, ${dead.error.name} ${dead.error.code ?? ''}: ${dead.error.message}`)
  lines.push(`  mails: ${s.mails.sent} sent, duplicates refused: ${s.mails.duplicates.map((d) => `${d.user} (attempt ${d.attempt} on ${d.node})`).join(', ') || 'none'}`)
  for (const check of s.checks) lines.push(`  ${check.passed ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`)
  return lines
}
