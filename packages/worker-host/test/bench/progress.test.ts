// The `troupe bench` progress display: plain lines off a terminal, a cli-progress bar on one.
import { describe, expect, it } from 'vitest'
import { remainingMs } from '../../src/bench/eta.js'
import { progressBar, progressStatus } from '../../src/bench/progress.js'
import type { ScalingProgress } from '../../src/bench/scaling.js'
import { FakeTerminal } from '../helpers/fake-terminal.js'


/** The reports of a run on worker counts 1 and 2, one warm-up round and two timed ones. */
function reports(): ScalingProgress[] {
  const runs: ScalingProgress[] = []
  for (let round = 0; round < 3; round++) {
    for (const workers of round % 2 === 0 ? [1, 2] : [2, 1]) runs.push({ done: runs.length + 1, total: 6, workers, round, warmup: round === 0, perSecond: workers * 1e6 })
  }
  return runs
}

/** A clock at `t` milliseconds, moved by hand. */
function manualClock(): { now: () => number; set: (ms: number) => void } {
  let t = 0
  return { now: () => t, set: (ms) => void (t = ms) }
}

describe('remainingMs', () => {
  it('is the mean time per finished unit times the units left', () => {
    expect(remainingMs({ done: 2, total: 10, spentMs: 20_000, nowMs: 20_000 })).toBe(80_000)
  })
  it('counts down while a unit runs, and waits once that unit has used its share', () => {
    expect(remainingMs({ done: 2, total: 10, spentMs: 20_000, nowMs: 24_000 })).toBe(76_000)
    expect(remainingMs({ done: 2, total: 10, spentMs: 20_000, nowMs: 50_000 })).toBe(70_000)
  })
  it('has nothing to say before the first unit, and nothing left after the last', () => {
    expect(remainingMs({ done: 0, total: 10, spentMs: 0, nowMs: 5000 })).toBeNull()
    expect(remainingMs({ done: 10, total: 10, spentMs: 9000, nowMs: 9000 })).toBe(0)
  })
})

describe('progressStatus', () => {
  const progress: ScalingProgress = { done: 2, total: 6, workers: 2, round: 0, warmup: true, perSecond: 2e6 }
  it('shows done/total, the round, k, the rate and the time left', () => {
    expect(progressStatus(progress, 'msg/s', 1, 3, 4000)).toBe('2/6  warm-up 1/1  k=2  2.00 M msg/s  ETA 8 s')
  })
  it('counts the estimate down between reports, and waits on a run that takes longer than its share', () => {
    expect(progressStatus(progress, 'msg/s', 1, 3, 4000, 5000)).toMatch(/ETA 7 s$/)
    expect(progressStatus(progress, 'msg/s', 1, 3, 4000, 60_000)).toMatch(/ETA 6 s$/)
    expect(remainingMs({ done: 0, total: 6, spentMs: 0, nowMs: 100 })).toBeNull()
  })
  it('says how long the run took once it is done', () => {
    expect(progressStatus({ ...progress, done: 6, round: 2, warmup: false }, 'msg/s', 1, 3, 12_345)).toBe('6/6  round 2/2  k=2  2.00 M msg/s  done in 12.3 s')
  })
})

describe('progressBar', () => {
  it('writes one plain line per run off a terminal, without escape codes', () => {
    const clock = manualClock()
    const out = new FakeTerminal()
    Object.assign(out, { isTTY: false })
    const onProgress = progressBar(out, 'msg/s', 1, 3, clock.now)
    for (const report of reports()) {
      clock.set(report.done * 1000)
      onProgress(report)
    }
    expect(out.raw).not.toContain('\x1b')
    expect(out.raw.split('\n')).toEqual([
      '[####--------------------] 1/6  warm-up 1/1  k=1  1.00 M msg/s  ETA 5 s',
      '[########----------------] 2/6  warm-up 1/1  k=2  2.00 M msg/s  ETA 4 s',
      '[############------------] 3/6  round 1/2  k=2  2.00 M msg/s  ETA 3 s',
      '[################--------] 4/6  round 1/2  k=1  1.00 M msg/s  ETA 2 s',
      '[####################----] 5/6  round 2/2  k=1  1.00 M msg/s  ETA 1 s',
      '[########################] 6/6  round 2/2  k=2  2.00 M msg/s  done in 6.0 s',
      '',
    ])
  })

  it('draws a cli-progress bar on a terminal, redrawn in place, with other output whole above it', () => {
    const clock = manualClock()
    const terminal = new FakeTerminal()
    const stdout = new FakeTerminal()
    const exits = process.listenerCount('exit')
    const onProgress = progressBar(terminal, 'msg/s', 1, 3, clock.now, [stdout])
    const [first, second, ...rest] = reports()
    clock.set(1000)
    onProgress(first!)
    expect(terminal.lines()).toEqual(['[####--------------------] 1/6  warm-up 1/1  k=1  1.00 M msg/s  ETA 5 s'])
    // A workload's actor prints, on stderr in two pieces and on stdout.
    terminal.write('tally at ')
    terminal.write(Buffer.from('500\n'))
    stdout.write('hello from worker 1\n')
    clock.set(2000)
    onProgress(second!)
    expect(terminal.lines()).toEqual(['tally at 500', 'hello from worker 1', '[########----------------] 2/6  warm-up 1/1  k=2  2.00 M msg/s  ETA 4 s'])
    for (const report of rest) {
      clock.set(report.done * 1000)
      onProgress(report)
    }
    expect(terminal.lines()).toEqual(['tally at 500', 'hello from worker 1', '[########################] 6/6  round 2/2  k=2  2.00 M msg/s  done in 6.0 s'])
    // Done: the streams are their own again, and nothing waits for the process's exit.
    terminal.write('wrote report.json\n')
    stdout.write('the table\n')
    expect(terminal.lines().at(-1)).toBe('wrote report.json')
    expect(stdout.raw).toBe('the table\n')
    expect(process.listenerCount('exit')).toBe(exits)
  })

  it('leaves a failed run\'s bar to the exit, under the error the CLI prints', () => {
    const clock = manualClock()
    const terminal = new FakeTerminal()
    const before = process.listeners('beforeExit')
    const onProgress = progressBar(terminal, 'msg/s', 1, 3, clock.now, [])
    clock.set(1000)
    onProgress(reports()[0]!)
    terminal.write('troupe bench: workload "w" on 2 worker(s): run threw: boom\n')
    const [atExit, ...more] = process.listeners('beforeExit').filter((listener) => !before.includes(listener))
    expect(more).toEqual([])
    atExit?.(0)
    expect(terminal.lines()).toEqual(['troupe bench: workload "w" on 2 worker(s): run threw: boom', '[####--------------------] 1/6  warm-up 1/1  k=1  1.00 M msg/s  ETA 5 s'])
    expect(process.listeners('beforeExit')).toEqual(before)
  })
})
