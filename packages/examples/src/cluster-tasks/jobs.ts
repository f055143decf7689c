// The jobs each node's producer publishes: deterministic, so every run (and the test) sees the same mix.
import { mulberry32 } from '../shared/seeded-random.js'
import { JOBS_PER_PRIORITY } from './settings.js'

export type Priority = 'high' | 'normal' | 'low'
export const PRIORITIES: readonly Priority[] = ['high', 'normal', 'low']

/** One job, as published on its priority's stream. Plain data: it is stored in JetStream as msgpack. */
export interface TaskJob {
  /** Unique in the run: `<producer node>-<h|n|l><nn>`, e.g. "b-h07". The idempotency key of its effect. */
  readonly id: string
  readonly priority: Priority
  /** Work time in ms on a node of slowness 1. */
  readonly costMs: number
  /** Attempts up to this one (from 1) fail with a transient error: 0 never fails. */
  readonly failUntil: number
  /** Its first attempt waits on a hung dependency past the job's deadline (JobTimeoutError). */
  readonly hangsFirst: boolean
}

/**
 * A producer's jobs, low priority first: they are published in this order, so the high ones are
 * the newest, and still run first wherever jobs wait for a node slot.
 */
export function jobsFor(node: string): TaskJob[] {
  const random = mulberry32(node.charCodeAt(0) * 7919)
  const jobs: TaskJob[] = []
  for (const priority of ['low', 'normal', 'high'] as const) {
    for (let i = 1; i <= JOBS_PER_PRIORITY; i++) {
      const id = `${node}-${priority[0]}${String(i).padStart(2, '0')}`
      // One job in five fails transiently, a few of them twice; one job per producer hangs once.
      const roll = random()
      const failUntil = roll < 0.06 ? 2 : roll < 0.2 ? 1 : 0
      const hangsFirst = priority === 'normal' && i === 4
      jobs.push({ id, priority, costMs: 80 + Math.floor(random() * 120), failUntil: hangsFirst ? 0 : failUntil, hangsFirst })
    }
  }
  return jobs
}
