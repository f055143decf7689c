// The launcher of cluster-tasks: a nats-server and three node processes, driven over stdin/stdout.
import type { HandlerStats } from 'troupe'
import { startNatsServer } from 'troupe/testkit'
import { Fleet, natsServerOrExplain, type NodeLine } from '../shared/node-process.js'
import { CLUSTER_TASKS_NODE } from './actor-modules.js'
import { jobsFor, type Priority } from './jobs.js'
import { reportLines } from './report.js'
import { ACK_WAIT_MS, KILLED_NODE, MAX_JOBS, NODE_MAX_JOBS, NODE_SLOWNESS, NODES, RETRY_DELAY_MS, TALLY_NODE } from './settings.js'
import { attemptsOf, summarize, type ClusterTasksSummary } from './summary.js'
import type { TallySnapshot } from './tally.js'

export interface ClusterTasksResult {
  readonly ok: boolean
  /** Absent when the run could not happen (no nats-server) or failed before its end. */
  readonly summary?: ClusterTasksSummary
}

/** Long enough for a slow machine; a healthy run takes a few seconds. */
const STEP_TIMEOUT_MS = 30_000

export async function runClusterTasks(options: { readonly log: (line: string) => void }): Promise<ClusterTasksResult> {
  if (!natsServerOrExplain('cluster-tasks', options.log)) return { ok: false }
  const startedAt = Date.now()
  // Every line but the JSON summary carries the time since the start.
  const log = (line: string): void => options.log(line === '' ? line : `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)}s ${line}`)
  const server = await startNatsServer()
  const fleet = new Fleet()
  try {
    log(`cluster-tasks: nats-server on ${server.url} (JetStream), nodes ${NODES.join(', ')} as separate processes`)
    log(`  streams tasks-high/normal/low, one durable handler each on every node: maxJobs ${MAX_JOBS} per handler, nodeMaxJobs ${NODE_MAX_JOBS} per node,`)
    log(`  retryDelayMs [${RETRY_DELAY_MS.join(', ')}], ackWaitMs ${ACK_WAIT_MS}; node b works ${NODE_SLOWNESS.b}× slower; node ${KILLED_NODE} will be SIGKILLed mid-run`)
    let shownApplied = -1
    const show = (line: NodeLine): void => {
      // The monitor samples on a timer; only a change is worth a line.
      if (line.type === 'progress' && line['applied'] !== shownApplied) shownApplied = line['applied'] as number
      else if (line.type === 'progress') return
      if (line.type === 'progress') log(`  monitor (node ${TALLY_NODE}): ${String(line['applied'])}/${String(line['expected'])} done  ${Object.entries(line['byNode'] as Record<string, number>).map(([n, count]) => `${n} ${count}`).join(', ')}  duplicates suppressed ${String(line['duplicates'])}`)
      if (line.type === 'complete') log(`  monitor (node ${TALLY_NODE}): every job has its effect`)
      if (line.type === 'node-down') log(`  node ${String(line['node'])} sees node ${String(line['down'])} down: ${String(line['reason'])}`)
      if (line.type === 'settled' && line['status'] === 'retry') log(`  [${String(line['node'])}] ${String(line['id'])} attempt ${String(line['attempt'])} failed (${String(line['error'])}); retry in ${String(line['delayMs'])} ms`)
    }
    // Node a first: it holds the tally that the others look up by name.
    for (const node of NODES) {
      const process = fleet.start(node, CLUSTER_TASKS_NODE, [server.url, node], show)
      if (node === TALLY_NODE) await fleet.line(node, 'ready', undefined, STEP_TIMEOUT_MS)
      log(`  node ${node}: pid ${process.pid}`)
    }
    await Promise.all(NODES.map((node) => fleet.line(node, 'ready', undefined, STEP_TIMEOUT_MS)))
    log('  all nodes ready; every producer publishes 30 jobs (low first, high last)')
    for (const node of fleet.nodes) node.send('publish')
    // Node c must not be killed before its producer is through: jobs it never published would never be done.
    await Promise.all(NODES.map((node) => fleet.line(node, 'published', undefined, STEP_TIMEOUT_MS)))

    // The kill: once node c runs two jobs or more, one of which has applied its effect and not
    // finished (it writes its receipt), so that it dies holding both kinds of work.
    const victim = fleet.node(KILLED_NODE)
    await fleet.until(() => {
      const running = attemptsOf(victim.lines).filter((a) => !a.end)
      const applied = victim.lines.filter((line) => line.type === 'applied' && line['result'] === 'applied')
      const halfDone = running.some((a) => applied.some((line) => line['id'] === a.id && line['attempt'] === a.attempt))
      return running.length >= 2 && halfDone ? true : undefined
    }, `node ${KILLED_NODE} runs jobs`, STEP_TIMEOUT_MS)
    const killedAt = Date.now()
    await victim.kill('SIGKILL')
    const held = attemptsOf(victim.lines).filter((a) => !a.end).map((a) => a.id)
    const halfDone = held.filter((id) => victim.lines.some((line) => line.type === 'applied' && line['id'] === id))
    log(`  SIGKILL node ${KILLED_NODE} (pid ${victim.pid}) while it runs ${held.join(', ')} (effect applied, not acknowledged: ${halfDone.join(', ')})`)
    log(`  they come back to the other nodes after ackWaitMs; the tally keeps one effect per job id`)

    // Done when every job has its final outcome (done, or dead after maxAttempts), every job the
    // dead node was running is done elsewhere (even those whose effect it had applied: it died
    // before acknowledging them), and nothing is left running, so that the handlers' stats are final.
    const ids = NODES.flatMap((node) => jobsFor(node).map((job) => job.id))
    const lines = (): NodeLine[] => fleet.nodes.flatMap((node) => node.lines)
    await fleet.until(() => {
      const all = attemptsOf(lines())
      const final = new Set(all.filter((a) => a.end?.status === 'done' || a.end?.status === 'dead').map((a) => a.id))
      const live = all.filter((a) => a.node !== KILLED_NODE)
      const again = new Set(live.filter((a) => a.end?.status === 'done' || a.end?.status === 'dead').map((a) => a.id))
      return ids.every((id) => final.has(id)) && held.every((id) => again.has(id)) && live.every((a) => a.end) ? true : undefined
    }, 'every job done, and the jobs of the killed node done elsewhere', STEP_TIMEOUT_MS).catch((error: unknown) => {
      // What was missing, for whoever reads the failure.
      const all = attemptsOf(lines())
      const final = new Set(all.filter((a) => a.end?.status === 'done' || a.end?.status === 'dead').map((a) => a.id))
      log(`  not finished: ${ids.filter((id) => !final.has(id)).join(', ')}; running: ${all.filter((a) => !a.end && a.node !== KILLED_NODE).map((a) => `${a.id}#${a.attempt} on ${a.node}`).join(', ')}`)
      throw error
    })

    const survivors = NODES.filter((node) => node !== KILLED_NODE)
    for (const node of survivors) fleet.node(node).send('finish')
    const stats: Record<string, { handlers: Record<Priority, HandlerStats>; peakRunning: number }> = {}
    let tally: TallySnapshot | undefined
    for (const node of survivors) {
      const line = await fleet.line(node, 'stats', undefined, STEP_TIMEOUT_MS)
      stats[node] = { handlers: line['handlers'] as Record<Priority, HandlerStats>, peakRunning: line['peakRunning'] as number }
      if (line['snapshot']) tally = line['snapshot'] as TallySnapshot
    }
    if (!tally) throw new Error(`node ${TALLY_NODE} sent no tally`)
    await Promise.all(survivors.map((node) => fleet.node(node).exited))

    const summary = summarize({
      lines: lines(),
      killedNode: KILLED_NODE,
      killedAt,
      tally,
      expectedIds: ids,
      hangingIds: NODES.flatMap((node) => jobsFor(node).filter((job) => job.hangsFirst).map((job) => job.id)),
      stats,
      nodes: [...NODES],
      seconds: (Date.now() - startedAt) / 1000,
    })
    for (const line of reportLines(summary)) options.log(line)
    options.log(JSON.stringify(summary))
    return { ok: summary.checks.every((check) => check.passed), summary }
  } finally {
    await fleet.killAll()
    await server.stop()
  }
}
