// The delivery checks must be able to fail: each is fed a small log with exactly one fault.
import { describe, expect, it } from 'vitest'
import { atLeastOnceProblems, atMostOnceProblems, fifoProblems, parsePumpLog, parseSinkLog, SentBook, streamKey, type Books } from './helpers/delivery-books.js'

const SINK = 7

function books(sentTells: number[], sinkLog: string, dead: number[] = [], survived = true): Books {
  const sent = new SentBook()
  for (const seq of sentTells) sent.record(0, SINK, 't', seq)
  return {
    sent: sent.messages,
    processed: new Map([[SINK, parseSinkLog(sinkLog).processed]]),
    dead: new Map(dead.length > 0 ? [[streamKey(0, SINK), dead]] : []),
    senderSurvived: () => survived,
  }
}

const log = (...lines: string[]): string => `${lines.join('\n')}\n`

describe('default delivery: sent = processed + dead letters', () => {
  it('accepts an exact split', () => {
    expect(atMostOnceProblems(books([0, 1, 2, 3], log('start', 't 0 0', 't 0 1', 'start', 't 0 3'), [2]))).toEqual([])
  })

  it('finds a lost message, a double count, a duplicate and an unsent one', () => {
    expect(atMostOnceProblems(books([0, 1, 2], log('start', 't 0 0', 't 0 2')))).toEqual([expect.stringMatching(/lost .*: 1 of 3/)])
    expect(atMostOnceProblems(books([0, 1], log('start', 't 0 0', 't 0 1'), [1]))).toEqual([expect.stringMatching(/both processed and dead-lettered: 1/)])
    expect(atMostOnceProblems(books([0, 1], log('start', 't 0 0', 't 0 1', 't 0 1')))).toEqual([expect.stringMatching(/processed twice: 1/)])
    expect(atMostOnceProblems(books([0], log('start', 't 0 0', 't 0 5')))).toEqual([expect.stringMatching(/never sent: 5/)])
  })

  it('for a sender that died, allows an unaccounted tail but not a hole', () => {
    expect(atMostOnceProblems(books([0, 1, 2, 3], log('start', 't 0 0'), [1], false))).toEqual([])
    expect(atMostOnceProblems(books([0, 1, 2, 3], log('start', 't 0 0', 't 0 2'), [], false))).toEqual([expect.stringMatching(/not a prefix/)])
  })
})

describe('FIFO per sender', () => {
  it('allows gaps, not going back, also across a restart', () => {
    expect(fifoProblems(books([], log('start', 't 0 0', 'a 0 2', 'start', 't 0 5')))).toEqual([])
    expect(fifoProblems(books([], log('start', 't 0 1', 't 0 0')))).toEqual([expect.stringMatching(/0 processed after 1/)])
    expect(fifoProblems(books([], log('start', 't 0 3', 'start', 't 0 2')))).toEqual([expect.stringMatching(/2 processed after 3/)])
  })
})

describe('at-least-once in order', () => {
  it('accepts a restart from an earlier message', () => {
    expect(atLeastOnceProblems(books([0, 1, 2, 3], log('start', 't 0 0', 't 0 1', 't 0 2', 'start', 't 0 1', 't 0 2', 't 0 3')))).toEqual([])
  })

  it('finds a gap, a dead letter, a reordering and a duplicate within one instance', () => {
    expect(atLeastOnceProblems(books([0, 1, 2], log('start', 't 0 0', 't 0 2')))).toEqual([expect.stringMatching(/never processed: 1/)])
    expect(atLeastOnceProblems(books([0, 1], log('start', 't 0 0', 't 0 1'), [1]))).toEqual([expect.stringMatching(/dead-lettered despite/)])
    expect(atLeastOnceProblems(books([0, 1, 2], log('start', 't 0 0', 'start', 't 0 2', 't 0 1')))).toEqual([
      expect.stringMatching(/1 first processed after 2/),
      expect.stringMatching(/1 processed after 2 by the same instance/),
    ])
    expect(atLeastOnceProblems(books([0, 1], log('start', 't 0 0', 't 0 1', 't 0 1')))).toEqual([expect.stringMatching(/1 processed after 1 by the same instance/)])
  })
})

describe('log parsing', () => {
  it('rejects a torn or unknown line', () => {
    expect(() => parseSinkLog(log('start', 't 0'))).toThrow(/malformed/)
    expect(() => parsePumpLog(log('start 1000', 's 1000 7 0'))).toThrow(/malformed/)
  })

  it('reads a pump log into sends per stream and asks per incarnation', () => {
    const pump = parsePumpLog(log('start 1000', 's 1000 7 0 t', 's 1000 7 1 a', 'r 1000 7 1 ok', 'start 1001', 's 1001 7 0 t'))
    expect(pump.tags).toEqual([1000, 1001])
    expect(pump.sent.tells(streamKey(1000, SINK))).toEqual([0])
    expect(pump.asks.get(1000)!.issued.get(streamKey(1000, SINK))).toEqual([1])
    expect(pump.asks.get(1000)!.settled.get(`${streamKey(1000, SINK)}#1`)).toBe('ok')
  })
})
