// The launcher of cluster-pipeline: a nats-server and three node processes, driven over stdin/stdout.
import type { DeadLetterEvent, HandlerStats, StoredEvent } from 'troupe'
import { startNatsServer } from 'troupe/testkit'
import { Fleet, natsServerOrExplain, type NodeLine } from '../shared/node-process.js'
import { CLUSTER_PIPELINE_NODE } from './actor-modules.js'
import type { OutboxSnapshot } from './outbox.js'
import { reportLines } from './report.js'
import { MAX_ATTEMPTS, MAX_JOBS, OUTBOX_NODE, RETRY_DELAY_MS, STREAM } from './settings.js'
import { attemptsOf, summarize, type ClusterPipelineSummary } from './summary.js'
import { NODES, POISON, type UserRegistered } from './users.js'

export interface ClusterPipelineResult {
  readonly ok: boolean
  /** Absent when the run could not happen (no nats-server). */
  readonly summary?: ClusterPipelineSummary
}

/** Long enough for a slow machine; a healthy run takes a few seconds once the nodes are up. */
const STEP_TIMEOUT_MS = 30_000

export async function runClusterPipeline(options: { readonly log: (line: string) => void }): Promise<ClusterPipelineResult> {
  if (!natsServerOrExplain('cluster-pipeline', options.log)) return { ok: false }
  const startedAt = Date.now()
  const log = (line: string): void => options.log(`${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)}s ${line}`)
  const server = await startNatsServer()
  const fleet = new Fleet()
  try {
    log(`cluster-pipeline: nats-server on ${server.url} (JetStream), nodes ${NODES.join(', ')} as separate processes`)
    log(`  stream "${STREAM}": send-welcome on every node (maxJobs ${MAX_JOBS}, maxAttempts ${MAX_ATTEMPTS}, retryDelayMs [${RETRY_DELAY_MS.join(', ')}]); report-dead on its dead letters`)
    const show = (line: NodeLine): void => {
      const who = `[${String(line['node'])}]`
      if (line.type === 'started' && line['attempt'] !== 1) log(`  ${who} welcome ${String(line['user'])}: attempt ${String(line['attempt'])}/${String(line['maxAttempts'])}`)
      if (line.type === 'settled' && line['status'] === 'retry') log(`  ${who} welcome ${String(line['user'])}: attempt ${String(line['attempt'])} failed (${String(line['error'])}); retry in ${String(line['delayMs'])} ms`)
      if (line.type === 'settled' && line['status'] === 'dead') log(`  ${who} welcome ${String(line['user'])}: attempt ${String(line['attempt'])} failed (${String(line['error'])}); dead letter`)
      if (line.type === 'mail') log(`  ${who} mail to ${String(line['user'])} (attempt ${String(line['attempt'])}): ${String(line['result'])}`)
      if (line.type === 'dead-letter') log(`  ${who} report-dead: ${String(line['user'])} gave up after ${String(line['attempts'])} attempts: ${String((line['error'] as { message: string }).message)}`)
    }
    // Node a first: it holds the outbox that the others look up by name.
    for (const node of NODES) {
      const process = fleet.start(node, CLUSTER_PIPELINE_NODE, [server.url, node], show)
      if (node === OUTBOX_NODE) await fleet.line(node, 'ready', undefined, STEP_TIMEOUT_MS)
      log(`  node ${node}: pid ${process.pid}`)
    }
    await Promise.all(NODES.map((node) => fleet.line(node, 'ready', undefined, STEP_TIMEOUT_MS)))
    log('  all nodes ready; users register through every node')
    for (const node of fleet.nodes) node.send('publish')
    const published = await Promise.all(NODES.map((node) => fleet.line(node, 'published', undefined, STEP_TIMEOUT_MS)))
    const events = published.reduce((sum, line) => sum + (line['users'] as string[]).length, 0)

    // Done: every deliverable user has a mail, the poison user's dead letter was reported, and
    // every event's last attempt is settled.
    await fleet.line(OUTBOX_NODE, 'complete', undefined, STEP_TIMEOUT_MS)
    const lines = (): NodeLine[] => fleet.nodes.flatMap((node) => node.lines)
    await fleet.until(() => {
      const all = attemptsOf(lines())
      const finished = new Set(all.filter((a) => a.end?.status === 'done' || a.end?.status === 'dead').map((a) => a.seq))
      const reported = lines().some((line) => line.type === 'dead-letter' && line['user'] === POISON)
      return reported && finished.size === events && all.every((a) => a.end) ? true : undefined
    }, 'every event handled and the dead letter reported', STEP_TIMEOUT_MS)

    for (const node of fleet.nodes) node.send('finish')
    const stats: Record<string, HandlerStats> = {}
    let outbox: OutboxSnapshot = { sent: [], duplicates: [] }
    let stored: StoredEvent<DeadLetterEvent<UserRegistered>>[] = []
    for (const node of NODES) {
      const line = await fleet.line(node, 'stats', undefined, STEP_TIMEOUT_MS)
      stats[node] = line['mailer'] as HandlerStats
      if (line['outbox']) outbox = line['outbox'] as OutboxSnapshot
      if (line['deadLetters'] && node === OUTBOX_NODE) stored = line['deadLetters'] as StoredEvent<DeadLetterEvent<UserRegistered>>[]
    }
    await Promise.all(fleet.nodes.map((node) => node.exited))

    const summary = summarize({ lines: lines(), nodes: [...NODES], stats, outbox, stored, events, seconds: (Date.now() - startedAt) / 1000 })
    for (const line of reportLines(summary)) options.log(line)
    options.log(JSON.stringify(summary))
    return { ok: summary.checks.every((check) => check.passed), summary }
  } finally {
    await fleet.killAll()
    await server.stop()
  }
}
