// What the launcher makes of the nodes' lines: the run's summary (one JSON line) and its checks.
import type { DeadLetterEvent, HandlerStats, StoredEvent } from 'troupe'
import type { NodeLine } from '../shared/node-process.js'
import type { OutboxSnapshot } from './outbox.js'
import { HANDLER, MAX_ATTEMPTS, MAX_JOBS, RETRY_DELAY_MS } from './settings.js'
import { ALL_USERS, DOUBLE_SUBMITTED, FLAKY, POISON, type UserRegistered } from './users.js'

export interface Attempt {
  readonly node: string
  readonly user: string
  readonly seq: number
  readonly attempt: number
  readonly startedAt: number
  readonly end?: { readonly status: 'done' | 'retry' | 'dead'; readonly at: number; readonly delayMs?: number; readonly error?: string }
}

export interface Retry {
  readonly user: string
  readonly seq: number
  readonly attempt: number
  readonly error: string
  readonly delayMs: number
  /** From the failed attempt's end to the next attempt's start (on whichever node). */
  readonly gapMs: number
  readonly from: string
  readonly to: string
}

export interface ReportedDeadLetter {
  readonly reportedBy: string
  readonly user?: string
  readonly email?: string
  readonly attempts: number
  readonly handler: string
  readonly error: { readonly name: string; readonly message: string; readonly code?: string }
  readonly deadOn: string
}

export interface ClusterPipelineSummary {
  readonly example: 'cluster-pipeline'
  readonly users: number
  /** Events published: one per user, and the double submission. */
  readonly events: number
  readonly settings: { readonly maxAttempts: number; readonly retryDelayMs: readonly number[]; readonly maxJobs: number }
  readonly nodes: Readonly<Record<string, { readonly attempts: number; readonly mails: number; readonly retried: number; readonly dead: number; readonly stats?: HandlerStats }>>
  /** Attempts per user, over all of its events. */
  readonly attemptsByUser: Readonly<Record<string, number>>
  readonly mails: { readonly sent: number; readonly uniqueUsers: number; readonly duplicates: readonly { user: string; node: string; attempt: number }[] }
  readonly retries: readonly Retry[]
  readonly deadLetters: { readonly reported: readonly ReportedDeadLetter[]; readonly stored: readonly { seq: number; user?: string; attempts: number; error: string; handler: string }[] }
  readonly checks: readonly { readonly name: string; readonly passed: boolean; readonly detail: string }[]
  readonly seconds: number
}

export function attemptsOf(lines: readonly NodeLine[]): Attempt[] {
  const open = new Map<string, number>()
  const all: Attempt[] = []
  for (const line of lines) {
    const key = `${String(line['node'])} ${String(line['seq'])} ${String(line['attempt'])}`
    if (line.type === 'started') {
      open.set(key, all.length)
      all.push({ node: line['node'] as string, user: line['user'] as string, seq: line['seq'] as number, attempt: line['attempt'] as number, startedAt: line['at'] as number })
    } else if (line.type === 'settled' && open.has(key)) {
      const index = open.get(key)!
      const end = { status: line['status'] as 'done' | 'retry' | 'dead', at: line['at'] as number, ...(line['delayMs'] === undefined ? {} : { delayMs: line['delayMs'] as number }), ...(line['error'] === undefined ? {} : { error: line['error'] as string }) }
      all[index] = { ...all[index]!, end }
      open.delete(key)
    }
  }
  return all.sort((x, y) => x.startedAt - y.startedAt)
}

export interface SummaryInput {
  readonly lines: readonly NodeLine[]
  readonly nodes: readonly string[]
  readonly stats: Readonly<Record<string, HandlerStats>>
  readonly outbox: OutboxSnapshot
  readonly stored: readonly StoredEvent<DeadLetterEvent<UserRegistered>>[]
  readonly events: number
  readonly seconds: number
}

export function summarize(input: SummaryInput): ClusterPipelineSummary {
  const attempts = attemptsOf(input.lines)
  const retries: Retry[] = []
  for (const failed of attempts.filter((a) => a.end?.status === 'retry')) {
    const next = attempts.find((a) => a.seq === failed.seq && a.attempt === failed.attempt + 1)
    if (next) retries.push({ user: failed.user, seq: failed.seq, attempt: failed.attempt, error: failed.end!.error ?? '', delayMs: failed.end!.delayMs ?? 0, gapMs: next.startedAt - failed.end!.at, from: failed.node, to: next.node })
  }
  const attemptsByUser: Record<string, number> = {}
  for (const a of attempts) attemptsByUser[a.user] = (attemptsByUser[a.user] ?? 0) + 1
  const nodes: Record<string, ClusterPipelineSummary['nodes'][string]> = {}
  for (const node of input.nodes) {
    const mine = attempts.filter((a) => a.node === node)
    nodes[node] = {
      attempts: mine.length,
      mails: input.outbox.sent.filter((mail) => mail.node === node).length,
      retried: mine.filter((a) => a.end?.status === 'retry').length,
      dead: mine.filter((a) => a.end?.status === 'dead').length,
      ...(input.stats[node] ? { stats: input.stats[node] } : {}),
    }
  }
  const reported: ReportedDeadLetter[] = input.lines
    .filter((line) => line.type === 'dead-letter')
    .map((line) => ({ reportedBy: line['node'] as string, ...(line['user'] === undefined ? {} : { user: line['user'] as string }), ...(line['email'] === undefined ? {} : { email: line['email'] as string }), attempts: line['attempts'] as number, handler: line['handler'] as string, error: line['error'] as ReportedDeadLetter['error'], deadOn: line['deadOn'] as string }))
  const stored = input.stored.map(({ seq, event }) => ({ seq, ...(event.event ? { user: event.event.id } : {}), attempts: event.attempts, error: `${event.error.name}: ${event.error.message}`, handler: event.handler }))
  const mails = { sent: input.outbox.sent.length, uniqueUsers: new Set(input.outbox.sent.map((m) => m.user)).size, duplicates: input.outbox.duplicates.map(({ user, node, attempt }) => ({ user, node, attempt })) }
  const partial = { attempts, retries, attemptsByUser, nodes, reported, stored, mails }
  return {
    example: 'cluster-pipeline',
    users: ALL_USERS.length,
    events: input.events,
    settings: { maxAttempts: MAX_ATTEMPTS, retryDelayMs: RETRY_DELAY_MS, maxJobs: MAX_JOBS },
    nodes,
    attemptsByUser,
    mails,
    retries,
    deadLetters: { reported, stored },
    checks: checks(partial, input),
    seconds: input.seconds,
  }
}

function checks(
  s: { attempts: Attempt[]; retries: Retry[]; attemptsByUser: Record<string, number>; nodes: ClusterPipelineSummary['nodes']; reported: ReportedDeadLetter[]; stored: ClusterPipelineSummary['deadLetters']['stored']; mails: ClusterPipelineSummary['mails'] },
  input: SummaryInput,
): ClusterPipelineSummary['checks'] {
  const deliverable = ALL_USERS.filter((user) => user.id !== POISON).map((user) => user.id)
  const sentTo = input.outbox.sent.map((mail) => mail.user)
  const expectedAttempts = (user: string): number => (user === POISON ? MAX_ATTEMPTS : (FLAKY[user] ?? 0) + 1) + (user === DOUBLE_SUBMITTED ? 1 : 0)
  const poisonRetries = s.retries.filter((r) => r.user === POISON)
  const dead = s.reported.filter((d) => d.user === POISON)
  return [
    { name: 'one welcome mail per deliverable user, none to the poison user', passed: sentTo.length === deliverable.length && deliverable.every((id) => sentTo.includes(id)) && s.mails.uniqueUsers === sentTo.length, detail: `${sentTo.length} mails for ${deliverable.length} users` },
    { name: 'the double submission sent no second mail', passed: s.mails.duplicates.length === 1 && s.mails.duplicates[0]?.user === DOUBLE_SUBMITTED, detail: s.mails.duplicates.map((d) => `${d.user} on ${d.node}`).join(', ') },
    { name: 'each user took the attempts its failures imply', passed: ALL_USERS.every((user) => s.attemptsByUser[user.id] === expectedAttempts(user.id)), detail: Object.entries(s.attemptsByUser).filter(([, n]) => n > 1).map(([u, n]) => `${u} ${n}`).join(', ') },
    { name: 'retries waited at least retryDelayMs[attempt - 1]', passed: s.retries.length > 0 && s.retries.every((r) => r.delayMs === RETRY_DELAY_MS[Math.min(r.attempt, RETRY_DELAY_MS.length) - 1] && r.gapMs >= r.delayMs - 1), detail: s.retries.map((r) => `${r.user}#${r.attempt} ${r.delayMs}→${r.gapMs}ms`).join(', ') },
    { name: 'the poison user was retried after 100, 500 and 1000 ms', passed: poisonRetries.map((r) => r.delayMs).join(',') === '100,500,1000', detail: poisonRetries.map((r) => `${r.delayMs}→${r.gapMs}ms`).join(', ') },
    { name: `after ${MAX_ATTEMPTS} attempts the poison user is a dead letter, reported once by its handler`, passed: dead.length === 1 && dead[0]!.attempts === MAX_ATTEMPTS && dead[0]!.handler === HANDLER && dead[0]!.error.code === '550' && s.reported.length === 1, detail: dead.map((d) => `${d.user} ${d.attempts} attempts, ${d.error.name} ${d.error.code ?? ''}: ${d.error.message}; reported by ${d.reportedBy}`).join('; ') },
    { name: 'the stored dead letters hold exactly that event', passed: s.stored.length === 1 && s.stored[0]!.user === POISON && s.stored[0]!.attempts === MAX_ATTEMPTS, detail: s.stored.map((d) => `${d.user} (${d.error})`).join(', ') },
    { name: 'the three nodes shared the work', passed: input.nodes.every((n) => (s.nodes[n]?.attempts ?? 0) > 0), detail: input.nodes.map((n) => `${n} ${s.nodes[n]?.attempts ?? 0} attempts`).join(', ') },
    { name: `at most maxJobs (${MAX_JOBS}) mails at once per node`, passed: input.nodes.every((n) => (input.stats[n]?.peakRunning ?? Infinity) <= MAX_JOBS), detail: input.nodes.map((n) => `${n} ${input.stats[n]?.peakRunning ?? '?'}`).join(', ') },
  ]
}
