import type { FinalStatus, Priority, TaskSpec } from './types.js'
import { mulberry32 } from '../shared/seeded-random.js'

/** A task of the script, with the end it must reach. */
export interface ScriptedTask {
  readonly spec: TaskSpec
  readonly expected: FinalStatus
  /** Attempts that must have been handed to a worker (0: it never ran). */
  readonly expectedAttempts: number
  /** What it is for, in a few words, for the printed script. */
  readonly note?: string
}

export const MAX_ATTEMPTS = 3
/** Workers in the pool: the routees of the balancing router. */
export const POOL_SIZE = 4
/** How long each blocker holds its worker. A timer never fires early, so this is a lower bound. */
export const BLOCKER_MS = 250
/** Far shorter than the blockers: these tasks cannot reach a worker in time. */
const SHORT_DEADLINE_MS = 60

/** The phase-1 tasks that take every worker first, so that the rest must queue. */
export const BLOCKER_IDS: readonly string[] = Array.from({ length: POOL_SIZE }, (_, i) => `B${i + 1}`)

const done = (spec: TaskSpec, note?: string): ScriptedTask => ({ spec, expected: 'done', expectedAttempts: 1, ...(note === undefined ? {} : { note }) })

/**
 * Phase 1, submitted in this order in one burst. The blockers take every worker for 250 ms, so
 * everything after them waits in the queue: the high tasks, submitted last, must be handed out
 * first, then normal, then low; the two tasks with a 60 ms deadline expire without running.
 */
export const PRIORITY_SCRIPT: readonly ScriptedTask[] = [
  ...BLOCKER_IDS.map((id) => done({ id, priority: 'normal', kind: 'io', cost: BLOCKER_MS }, `holds a worker for ${BLOCKER_MS} ms`)),
  done({ id: 'L1', priority: 'low', kind: 'io', cost: 10 }),
  done({ id: 'L2', priority: 'low', kind: 'cpu', cost: 10 }),
  done({ id: 'L3', priority: 'low', kind: 'io', cost: 20 }),
  { spec: { id: 'E1', priority: 'low', kind: 'io', cost: 10, deadlineMs: SHORT_DEADLINE_MS }, expected: 'expired', expectedAttempts: 0, note: `deadline ${SHORT_DEADLINE_MS} ms` },
  done({ id: 'N1', priority: 'normal', kind: 'cpu', cost: 15 }),
  done({ id: 'N2', priority: 'normal', kind: 'io', cost: 15 }),
  { spec: { id: 'F1', priority: 'normal', kind: 'io', cost: 10, failures: 2 }, expected: 'done', expectedAttempts: 3, note: 'fails twice, then succeeds' },
  { spec: { id: 'P1', priority: 'normal', kind: 'cpu', cost: 5, failures: 'always' }, expected: 'failed', expectedAttempts: MAX_ATTEMPTS, note: 'always fails' },
  { spec: { id: 'E2', priority: 'high', kind: 'io', cost: 10, deadlineMs: SHORT_DEADLINE_MS }, expected: 'expired', expectedAttempts: 0, note: `deadline ${SHORT_DEADLINE_MS} ms` },
  done({ id: 'H1', priority: 'high', kind: 'cpu', cost: 20 }),
  done({ id: 'H2', priority: 'high', kind: 'io', cost: 5 }),
  done({ id: 'H3', priority: 'high', kind: 'cpu', cost: 10 }),
]

/** The order in which phase 1's waiting tasks must first be handed out once the blockers finish. */
export const EXPECTED_FIRST_DISPATCHES: readonly string[] = ['H1', 'H2', 'H3', 'N1', 'N2', 'F1', 'P1', 'L1', 'L2', 'L3']

/** The long task of the flood: it holds one worker while the other workers take the rest. */
export const LONG_TASK_ID = 'long'
const LONG_TASK_MS = 500

/**
 * Phase 2: a flood of uneven tasks, far more than the queue holds, from a seeded generator so
 * every run submits the same ones. It opens with one long task. About 1 in 10 fails once and
 * succeeds on its retry; none has a deadline, so all must end done.
 */
export function floodScript(count: number, seed: number): ScriptedTask[] {
  const random = mulberry32(seed)
  const tasks: ScriptedTask[] = [done({ id: LONG_TASK_ID, priority: 'normal', kind: 'io', cost: LONG_TASK_MS }, `holds a worker for ${LONG_TASK_MS} ms`)]
  for (let i = 1; i < count; i++) {
    const roll = random()
    const priority: Priority = roll < 0.2 ? 'high' : roll < 0.7 ? 'normal' : 'low'
    const cpu = random() < 0.25
    const cost = cpu ? 2 + Math.floor(random() * 10) : 2 + Math.floor(random() * 30)
    const failures = random() < 0.1 ? 1 : 0
    const spec: TaskSpec = { id: `t${String(i).padStart(3, '0')}`, priority, kind: cpu ? 'cpu' : 'io', cost, ...(failures > 0 ? { failures } : {}) }
    tasks.push({ spec, expected: 'done', expectedAttempts: failures + 1 })
  }
  return tasks
}
