import { describe, expect, it } from 'vitest'
import { captureLines } from 'troupe'
import { FakeTerminal } from '../../packages/worker-host/test/helpers/fake-terminal.js'
import { formatDuration } from './duration.js'
import type { BenchmarkDefinition } from './harness.js'
import { planGroups } from './plan.js'
import { SuiteProgress } from './progress.js'
import { progressDisplay } from './progress-display.js'
import { barStatus, plainLine } from './progress-line.js'
import { plannedRounds, runGroup } from './rounds.js'


/** A clock the test moves by hand, in milliseconds. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000
  return { now: () => t, advance: (ms) => void (t += ms) }
}

describe('formatDuration', () => {
  it('shows whole seconds, then minutes and seconds, then hours and minutes', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(42_400)).toBe('42s')
    expect(formatDuration(245_000)).toBe('4m 05s')
    expect(formatDuration(3_780_000)).toBe('1h 03m')
    expect(formatDuration(-5)).toBe('0s')
  })
})

describe('SuiteProgress', () => {
  it('weighs benchmarks by their planned runs, and counts one done when its last run ends', () => {
    const clock = manualClock()
    const progress = new SuiteProgress(
      [
        { id: 'a', runs: 3 },
        { id: 'b', runs: 3 },
        { id: 'lone', runs: 2 },
      ],
      clock.now,
    )
    expect(progress.snapshot()).toMatchObject({ benchmarks: { done: 0, total: 3, started: 0 }, runs: { done: 0, total: 8 }, current: null, remainingMs: null })
    expect(progress.starting('a', 'warm-up 1/1')).toBe(true)
    clock.advance(2000)
    progress.finished('a', 0)
    expect(progress.starting('b', 'warm-up 1/1')).toBe(true)
    expect(progress.snapshot()).toMatchObject({ benchmarks: { done: 0, started: 2 }, runs: { done: 1, total: 8 }, current: { id: 'b', label: 'warm-up 1/1' }, elapsedMs: 2000, remainingMs: 14_000 })
    clock.advance(2000)
    progress.finished('b', 0)
    for (let round = 1; round < 3; round++) {
      for (const id of ['a', 'b']) {
        expect(progress.starting(id, `round ${round}/2`)).toBe(false)
        clock.advance(2000)
        progress.finished(id, 0)
      }
    }
    expect(progress.snapshot()).toMatchObject({ benchmarks: { done: 2, total: 3 }, runs: { done: 6, total: 8 }, remainingMs: 4000 })
  })
  it('takes a failed benchmark\'s dropped runs out of the plan and counts it done', () => {
    const clock = manualClock()
    const progress = new SuiteProgress([{ id: 'broken', runs: 5 }, { id: 'next', runs: 1 }], clock.now)
    progress.starting('broken', 'warm-up 1/1')
    clock.advance(1000)
    progress.finished('broken', 4)
    expect(progress.snapshot()).toMatchObject({ benchmarks: { done: 1, total: 2 }, runs: { done: 1, total: 2 }, remainingMs: 1000 })
  })
})

describe('progress lines', () => {
  const snapshot = {
    benchmarks: { done: 12, total: 57, started: 13 },
    runs: { done: 134, total: 402 },
    current: { id: 'tell.cross-thread', label: 'round 3/10' },
    elapsedMs: 252_000,
    remainingMs: 510_000,
  }
  it('puts the estimate before the id after the bar, since a narrow terminal cuts the end', () => {
    expect(barStatus(snapshot)).toBe(' 33% | 12/57 benchmarks | ETA 8m 30s | 4m 12s | tell.cross-thread round 3/10')
    expect(barStatus({ ...snapshot, remainingMs: null, current: null })).toBe(' 33% | 12/57 benchmarks | ETA -- | 4m 12s')
    expect(barStatus({ ...snapshot, benchmarks: { done: 57, total: 57, started: 57 }, runs: { done: 402, total: 402 }, current: null })).toBe('100% | 57/57 benchmarks | took 4m 12s')
  })
  it('numbers the benchmark that starts in a plain line', () => {
    expect(plainLine(snapshot)).toBe('[13/57] tell.cross-thread: runs 134/402 (33%), 4m 12s elapsed, ETA 8m 30s')
  })
})

/** A benchmark returning `figures` in turn; it throws once they run out. */
function scripted(id: string, figures: number[]): BenchmarkDefinition {
  let i = 0
  return {
    id,
    unit: 'msg/s',
    run: async () => {
      const figure = figures[i++]
      if (figure === undefined) throw new Error(`${id} broke`)
      return figure
    },
  }
}

describe('runGroup and the progress display', () => {
  it('tells the observer of every run, and of the runs a failure drops', async () => {
    const [group] = planGroups([scripted('a', [1, 2, 3, 4]), scripted('b', [1])], [{ id: 'R', name: 'r', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 1 } }])
    const settings = { pairs: 3, runs: 1, warmupRounds: 1, quick: true, progress: () => undefined, format: String }
    expect(plannedRounds(group!, settings)).toBe(4)
    const events: string[] = []
    await runGroup(group!, { ...settings, observer: { starting: (id, label) => events.push(`${id} ${label}`), finished: (id, dropped) => events.push(`${id} ended, ${dropped} dropped`) } })
    expect(events).toEqual([
      'a warm-up 1/1',
      'a ended, 0 dropped',
      'b warm-up 1/1',
      'b ended, 0 dropped',
      'b round 1/3',
      'b ended, 2 dropped',
      'a round 1/3',
      'a ended, 0 dropped',
      'a round 2/3',
      'a ended, 0 dropped',
      'a round 3/3',
      'a ended, 0 dropped',
    ])
  })

  it('prints plain lines off a terminal: the suite\'s lines as they are, and one line as each benchmark starts', async () => {
    const clock = manualClock()
    const [group] = planGroups([scripted('a', [10, 20]), scripted('b', [30, 40])], [{ id: 'R', name: 'r', numerator: 'a', denominator: 'b', goal: { op: '>=', value: 1 } }])
    const progress = new SuiteProgress(group!.members.map(({ id }) => ({ id, runs: 2 })), clock.now)
    const out = new FakeTerminal()
    Object.assign(out, { isTTY: false })
    const display = progressDisplay(progress, out)
    display.log('> a + b')
    await runGroup(group!, {
      pairs: 1,
      runs: 1,
      warmupRounds: 1,
      quick: true,
      format: String,
      progress: (line) => display.log(line),
      observer: {
        starting: (id, label) => display.starting(id, label),
        finished: (id, dropped) => {
          clock.advance(1000)
          display.finished(id, dropped)
        },
      },
    })
    display.stop()
    expect(out.raw).not.toContain('\x1b')
    expect(out.raw.split('\n')).toEqual([
      '> a + b',
      '[1/2] a: runs 0/4 (0%), 0s elapsed, ETA --',
      '  a warm-up 1/1: 10',
      '[2/2] b: runs 1/4 (25%), 1s elapsed, ETA 3s',
      '  b warm-up 1/1: 30',
      '  b round 1/1: 40',
      '  a round 1/1: 20',
      '',
    ])
  })

  it('draws a bar on a terminal, with every line of the run whole above it', () => {
    const clock = manualClock()
    const progress = new SuiteProgress([{ id: 'tell.cross-thread', runs: 2 }, { id: 'ask.pipelined', runs: 2 }], clock.now)
    const terminal = new FakeTerminal(120)
    const stdout = new FakeTerminal(120)
    const listeners = process.listenerCount('exit')
    const display = progressDisplay(progress, terminal, [stdout])
    expect(process.listenerCount('exit')).toBe(listeners + 1)
    expect(terminal.lines()).toEqual(['[--------------------]   0% | 0/2 benchmarks | ETA -- | 0s'])

    display.log('> tell.cross-thread + ask.pipelined: 1 warm-up + 1 timed round(s), pairs for P3')
    display.starting('tell.cross-thread', 'warm-up 1/1')
    // What a benchmark prints itself, in two pieces, and a worker's console.log on stdout.
    terminal.write('  tell.cross-thread measured: 200000 tells ')
    terminal.write(Buffer.from('in 0.1 s\n'))
    stdout.write('from a worker\n')
    clock.advance(3000)
    display.log('  tell.cross-thread warm-up 1/1: 2.00 M msg/s')
    display.finished('tell.cross-thread', 0)
    display.starting('ask.pipelined', 'warm-up 1/1')
    expect(terminal.lines()).toEqual([
      '> tell.cross-thread + ask.pipelined: 1 warm-up + 1 timed round(s), pairs for P3',
      '  tell.cross-thread measured: 200000 tells in 0.1 s',
      'from a worker',
      '  tell.cross-thread warm-up 1/1: 2.00 M msg/s',
      '[#####---------------]  25% | 0/2 benchmarks | ETA 9s | 3s | ask.pipelined warm-up 1/1',
    ])
    expect(stdout.raw).toBe('')

    for (const [id, label] of [['ask.pipelined', 'warm-up 1/1'], ['tell.cross-thread', 'round 1/1'], ['ask.pipelined', 'round 1/1']] as const) {
      if (id !== 'ask.pipelined' || label !== 'warm-up 1/1') display.starting(id, label)
      clock.advance(3000)
      display.finished(id, 0)
    }
    terminal.write('half a line')
    display.stop()
    display.log('4 benchmark(s) took 12.0 s')
    expect(terminal.lines()).toEqual([
      '> tell.cross-thread + ask.pipelined: 1 warm-up + 1 timed round(s), pairs for P3',
      '  tell.cross-thread measured: 200000 tells in 0.1 s',
      'from a worker',
      '  tell.cross-thread warm-up 1/1: 2.00 M msg/s',
      'half a line',
      '[####################] 100% | 2/2 benchmarks | took 12s',
      '4 benchmark(s) took 12.0 s',
    ])
    // Both streams write for themselves again, and nothing is left listening for the exit.
    stdout.write('tables\n')
    expect(stdout.raw).toBe('tables\n')
    expect(process.listenerCount('exit')).toBe(listeners)
  })

  it('cuts the bar\'s line to the terminal\'s width, from the end', () => {
    const progress = new SuiteProgress([{ id: 'baseline.port.ask.latency.p50', runs: 1 }], () => 0)
    const terminal = new FakeTerminal(50)
    const display = progressDisplay(progress, terminal)
    display.starting('baseline.port.ask.latency.p50', 'round 1/1')
    expect(terminal.lines()).toEqual(['[--------------------]   0% | 0/1 benchmarks | ETA'])
    display.stop()
  })
})

describe('captureLines', () => {
  it('hands on whole lines, keeps a character split between writes, and calls back as a stream does', async () => {
    const stream = new FakeTerminal()
    const lines: string[] = []
    const captured = captureLines(stream, (line) => lines.push(line))
    const euro = Buffer.from('€\n')
    stream.write(euro.subarray(0, 1))
    stream.write(euro.subarray(1))
    stream.write('a\n\nb')
    let calledBack = false
    stream.write('c\n', () => (calledBack = true))
    expect(calledBack).toBe(false)
    await new Promise((resolve) => process.nextTick(resolve))
    expect(calledBack).toBe(true)
    captured.write('straight through\n')
    stream.write('tail')
    captured.release()
    expect(lines).toEqual(['€', 'a', '', 'bc', 'tail'])
    expect(stream.raw).toBe('straight through\n')
    stream.write('after\n')
    expect(stream.raw).toBe('straight through\nafter\n')
  })
})
