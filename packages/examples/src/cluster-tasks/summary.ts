// What the launcher makes of the nodes' lines: the run's summary (printed as one JSON line) and its checks.
import type { HandlerStats } from 'troupe'
import type { NodeLine } from '../shared/node-process.js'
import { PRIORITIES, type Priority } from './jobs.js'
import { ACK_WAIT_MS, MAX_JOBS, NODE_MAX_JOBS, RETRY_DELAY_MS, type NodeName } from './settings.js'
import type { TallySnapshot } from './tally.js'

export interface Attempt {
  readonly node: string
  readonly id: string
  readonly priority: Priority
  readonly attempt: number
  readonly startedAt: number
  /** Absent when the node died during the attempt. */
  readonly end?: { readonly status: 'done' | 'retry' | 'dead'; readonly at: number; readonly delayMs?: number; readonly error?: string }
}

export interface Retry {
  readonly id: string
  /** The attempt that failed. */
  readonly attempt: number
  readonly error: string
  readonly delayMs: number
  /** From the failed attempt's end to the next attempt's start, on whichever nodes. */
  readonly gapMs: number
}

export interface Redelivery {
  readonly id: string
  /** The attempt number it came back with, on `node`. */
  readonly attempt: number
  readonly node: string
  /** Whether the killed node had started it (else it only held it, waiting for a slot). */
  readonly wasRunning: boolean
  readonly afterKillMs: number
}

export interface NodeSummary {
  readonly attempts: number
  readonly done: number
  readonly retried: number
  /** Effects this node applied (the tally's count). */
  readonly effects: number
  /** The most jobs that ran at once here, over the three handlers (from the attempt log). */
  readonly peakRunning: number
  /** Each priority's handler's stats at the end; absent for the killed node. */
  readonly handlers?: Readonly<Record<Priority, HandlerStats>>
}

export interface ClusterTasksSummary {
  readonly example: 'cluster-tasks'
  readonly jobs: number
  readonly settings: { readonly maxJobs: number; readonly nodeMaxJobs: number; readonly ackWaitMs: number; readonly retryDelayMs: readonly number[] }
  readonly nodes: Readonly<Record<string, NodeSummary>>
  readonly killed: { readonly node: string; readonly heldRunning: readonly string[] }
  readonly redelivered: readonly Redelivery[]
  /** Effects: one per job id. `duplicates` are attempts that found their effect already applied. */
  readonly effects: { readonly applied: number; readonly uniqueIds: number; readonly expectedIds: number; readonly duplicates: readonly { id: string; node: string; attempt: number }[] }
  readonly retries: readonly Retry[]
  readonly timeouts: readonly string[]
  /** Jobs that failed maxAttempts times (none expected). */
  readonly dead: readonly string[]
  /** First attempts in the order they started (all nodes), as priority letters, and each priority's median rank. */
  readonly priorityOrder: { readonly sequence: string; readonly medianRank: Readonly<Record<Priority, number>> }
  readonly checks: readonly { readonly name: string; readonly passed: boolean; readonly detail: string }[]
  readonly seconds: number
}

/** Every attempt from the nodes' started/settled lines, in start order. */
export function attemptsOf(lines: readonly NodeLine[]): Attempt[] {
  const open = new Map<string, Attempt>()
  const all: Attempt[] = []
  for (const line of lines) {
    const key = `${String(line['node'])} ${String(line['id'])} ${String(line['attempt'])}`
    if (line.type === 'started') {
      const attempt: Attempt = { node: line['node'] as string, id: line['id'] as string, priority: line['priority'] as Priority, attempt: line['attempt'] as number, startedAt: line['at'] as number }
      open.set(key, attempt)
      all.push(attempt)
    } else if (line.type === 'settled') {
      const started = open.get(key)
      if (!started) continue
      const end = { status: line['status'] as 'done' | 'retry' | 'dead', at: line['at'] as number, ...(line['delayMs'] === undefined ? {} : { delayMs: line['delayMs'] as number }), ...(line['error'] === undefined ? {} : { error: line['error'] as string }) }
      all[all.indexOf(started)] = { ...started, end }
      open.delete(key)
    }
  }
  return all.sort((x, y) => x.startedAt - y.startedAt)
}

export interface SummaryInput {
  readonly lines: readonly NodeLine[]
  readonly killedNode: NodeName
  readonly killedAt: number
  readonly tally: TallySnapshot
  readonly expectedIds: readonly string[]
  /** The jobs whose first attempt hangs past its deadline. */
  readonly hangingIds: readonly string[]
  readonly stats: Readonly<Record<string, { handlers: Record<Priority, HandlerStats>; peakRunning: number }>>
  readonly nodes: readonly string[]
  readonly seconds: number
}

export function summarize(input: SummaryInput): ClusterTasksSummary {
  const attempts = attemptsOf(input.lines)
  const retries: Retry[] = []
  for (const failed of attempts.filter((a) => a.end?.status === 'retry')) {
    const next = attempts.find((a) => a.id === failed.id && a.attempt === failed.attempt + 1)
    if (next) retries.push({ id: failed.id, attempt: failed.attempt, error: failed.end!.error ?? '', delayMs: failed.end!.delayMs ?? 0, gapMs: next.startedAt - failed.end!.at })
  }
  // Came back without a settled previous attempt: the previous delivery was lost with the killed node.
  const redelivered: Redelivery[] = []
  for (const attempt of attempts.filter((a) => a.attempt > 1 && a.node !== input.killedNode)) {
    const previous = attempts.find((a) => a.id === attempt.id && a.attempt === attempt.attempt - 1)
    if (previous?.end) continue
    redelivered.push({ id: attempt.id, attempt: attempt.attempt, node: attempt.node, wasRunning: previous !== undefined, afterKillMs: attempt.startedAt - input.killedAt })
  }
  const heldRunning = attempts.filter((a) => a.node === input.killedNode && !a.end).map((a) => a.id)

  const nodes: Record<string, NodeSummary> = {}
  for (const node of input.nodes) {
    const mine = attempts.filter((a) => a.node === node)
    const stats = input.stats[node]
    nodes[node] = {
      attempts: mine.length,
      done: mine.filter((a) => a.end?.status === 'done').length,
      retried: mine.filter((a) => a.end?.status === 'retry').length,
      effects: input.tally.byNode[node] ?? 0,
      peakRunning: peakOf(input.lines.filter((line) => line['node'] === node)),
      ...(stats ? { handlers: stats.handlers } : {}),
    }
  }

  const firsts = attempts.filter((a) => a.attempt === 1)
  const sequence = firsts.map((a) => a.priority[0]!.toUpperCase()).join('')
  const medianRank = Object.fromEntries(PRIORITIES.map((p) => [p, median(firsts.flatMap((a, rank) => (a.priority === p ? [rank] : [])))])) as Record<Priority, number>

  const ids = input.tally.effects.map((effect) => effect.id)
  const effects = { applied: input.tally.applied, uniqueIds: new Set(ids).size, expectedIds: input.expectedIds.length, duplicates: input.tally.duplicates }
  const timeouts = [...new Set(retries.filter((r) => r.error.startsWith('JobTimeoutError')).map((r) => r.id))]

  const dead = [...new Set(attempts.filter((a) => a.end?.status === 'dead').map((a) => a.id))]
  const partial = { dead, nodes, heldRunning, redelivered, retries, effects, medianRank, timeouts }
  return {
    example: 'cluster-tasks',
    jobs: input.expectedIds.length,
    settings: { maxJobs: MAX_JOBS, nodeMaxJobs: NODE_MAX_JOBS, ackWaitMs: ACK_WAIT_MS, retryDelayMs: RETRY_DELAY_MS },
    nodes,
    killed: { node: input.killedNode, heldRunning },
    redelivered,
    effects,
    retries,
    timeouts,
    dead,
    priorityOrder: { sequence, medianRank },
    checks: checks(partial, input),
    seconds: input.seconds,
  }
}

function checks(
  s: { dead: string[]; nodes: Record<string, NodeSummary>; heldRunning: string[]; redelivered: Redelivery[]; retries: Retry[]; effects: ClusterTasksSummary['effects']; medianRank: Record<Priority, number>; timeouts: string[] },
  input: SummaryInput,
): ClusterTasksSummary['checks'] {
  const expected = new Set(input.expectedIds)
  const applied = input.tally.effects.map((e) => e.id)
  const back = new Set(s.redelivered.map((r) => r.id))
  // A dead node's last pulse was at most ackWait/3 before it died; its jobs come back an ackWait after that.
  const earliest = Math.min(...s.redelivered.map((r) => r.afterKillMs))
  const live = input.nodes.filter((n) => n !== input.killedNode)
  return [
    { name: 'every job took effect exactly once', passed: applied.length === expected.size && applied.every((id) => expected.has(id)) && s.effects.uniqueIds === applied.length, detail: `${applied.length} effects for ${expected.size} jobs, ${s.effects.duplicates.length} duplicate attempts suppressed; dead letters: ${s.dead.join(', ') || 'none'}` },
    { name: `at most nodeMaxJobs (${NODE_MAX_JOBS}) running per node`, passed: Object.values(s.nodes).every((n) => n.peakRunning <= NODE_MAX_JOBS), detail: Object.entries(s.nodes).map(([n, v]) => `${n} ${v.peakRunning}`).join(', ') },
    { name: `at most maxJobs (${MAX_JOBS}) running per handler`, passed: live.every((n) => PRIORITIES.every((p) => (s.nodes[n]?.handlers?.[p].peakRunning ?? Infinity) <= MAX_JOBS)), detail: 'handler.stats().peakRunning on the surviving nodes' },
    { name: 'the killed node held running jobs, and each was redelivered', passed: s.heldRunning.length > 0 && s.heldRunning.every((id) => back.has(id)), detail: `held ${s.heldRunning.join(', ')}; redelivered ${[...back].join(', ')}` },
    { name: 'redelivery only after ackWaitMs without a pulse', passed: s.redelivered.length > 0 && earliest >= (ACK_WAIT_MS * 2) / 3, detail: `first redelivery ${earliest} ms after the kill (ackWaitMs ${ACK_WAIT_MS})` },
    // Time stamps are Date.now() of two processes: each is floored to the ms, hence the 1 ms.
    { name: 'retries waited their retryDelayMs', passed: s.retries.length > 0 && s.retries.every((r) => r.gapMs >= r.delayMs - 1), detail: `${s.retries.length} retries` },
    // A hanging job fetched by the killed node and never started there comes back as attempt 2, and does not hang.
    { name: 'jobs past their deadline timed out and were retried', passed: s.timeouts.length > 0 && s.timeouts.every((id) => input.hangingIds.includes(id)), detail: s.timeouts.join(', ') },
    { name: 'a job whose effect was applied on the killed node, redelivered, did not apply it twice', passed: s.effects.duplicates.some((d) => s.heldRunning.includes(d.id)), detail: s.effects.duplicates.map((d) => `${d.id} (attempt ${d.attempt} on ${d.node})`).join(', ') },
    { name: 'high-priority jobs started before low ones', passed: s.medianRank.high < s.medianRank.low, detail: `median start rank high ${s.medianRank.high}, normal ${s.medianRank.normal}, low ${s.medianRank.low}` },
    { name: 'every node did work', passed: input.nodes.every((n) => (s.nodes[n]?.effects ?? 0) > 0), detail: input.nodes.map((n) => `${n} ${s.nodes[n]?.effects ?? 0} effects`).join(', ') },
  ]
}

/** The most jobs running at once on a node, from its started/settled lines. */
function peakOf(lines: readonly NodeLine[]): number {
  let running = 0
  let peak = 0
  for (const line of lines) {
    if (line.type === 'started') peak = Math.max(peak, ++running)
    if (line.type === 'settled') running--
  }
  return peak
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((x, y) => x - y)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
