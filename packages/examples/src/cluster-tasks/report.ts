// The summary for people: per node counts, retries, priority order, redeliveries, checks.
import { PRIORITIES } from './jobs.js'
import type { ClusterTasksSummary } from './summary.js'

export function reportLines(s: ClusterTasksSummary): string[] {
  const lines = ['', `summary (${s.jobs} jobs, ${s.seconds.toFixed(1)} s)`]
  lines.push('  node  attempts  done  retried  effects  peak running  handler stats (high / normal / low: done, retried, peakRunning)')
  for (const [node, n] of Object.entries(s.nodes)) {
    const handlers = n.handlers ? PRIORITIES.map((p) => `${n.handlers![p].done},${n.handlers![p].retried},${n.handlers![p].peakRunning}`).join(' / ') : `killed (held ${s.killed.heldRunning.length} running)`
    lines.push(`  ${node.padEnd(4)}  ${String(n.attempts).padStart(8)}  ${String(n.done).padStart(4)}  ${String(n.retried).padStart(7)}  ${String(n.effects).padStart(7)}  ${String(n.peakRunning).padStart(12)}  ${handlers}`)
  }
  lines.push(`  priority order of first attempts (H/N/L, all nodes): ${s.priorityOrder.sequence}`)
  lines.push(`    median start rank: high ${s.priorityOrder.medianRank.high}, normal ${s.priorityOrder.medianRank.normal}, low ${s.priorityOrder.medianRank.low}`)
  const gaps = s.retries.map((r) => `${r.id}#${r.attempt} ${r.delayMs}→${r.gapMs}ms`)
  lines.push(`  retries (planned delay → observed gap): ${gaps.join(', ')}`)
  lines.push(`  timed out at their deadline and retried: ${s.timeouts.join(', ')}`)
  lines.push(`  redelivered from node ${s.killed.node}: ${s.redelivered.map((r) => `${r.id} (attempt ${r.attempt} on ${r.node}, ${r.afterKillMs} ms after the kill${r.wasRunning ? '' : ', was waiting for a slot'})`).join(', ')}`)
  lines.push(`  effects: ${s.effects.applied} for ${s.effects.expectedIds} jobs; duplicate attempts suppressed: ${s.effects.duplicates.map((d) => `${d.id} (attempt ${d.attempt} on ${d.node})`).join(', ') || 'none'}`)
  for (const check of s.checks) lines.push(`  ${check.passed ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`)
  return lines
}
