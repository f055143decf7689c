import { describe, expect, it } from 'vitest'
import { runChat } from '../src/chat/run.js'

const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)

describe('chat', () => {
  it('gives every member its room’s one order, keeps each sender’s order, and starts a late joiner with the last N messages', async () => {
    const result = await runChat({ log: () => undefined, workers: 2 })
    const room = (name: string) => result.rooms.find((r) => r.name === name)!.transcript

    // Every post arrived, numbered 1..n by the room.
    expect(room('lobby').map((m) => m.seq)).toEqual(upTo(180))
    expect(room('dev').map((m) => m.seq)).toEqual(upTo(160))

    // Per sender: its posts keep the order it sent them in, none missing.
    const ownOrder = (name: string, sender: string) => room(name).filter((m) => m.from === sender).map((m) => m.clientSeq)
    for (const sender of ['ada', 'bo', 'cy', 'di']) expect(ownOrder('lobby', sender)).toEqual(upTo(40))
    expect(ownOrder('lobby', 'zoe')).toEqual(upTo(20))
    for (const sender of ['cy', 'di', 'ed', 'flo']) expect(ownOrder('dev', sender)).toEqual(upTo(40))

    // Every member's transcript is exactly its room's order (the members from the start: all of it).
    expect(result.transcripts).toHaveLength(9)
    for (const t of result.transcripts) {
      const joined = result.joins[`${t.user}@${t.room}`]!
      expect([...t.history, ...t.live]).toEqual(room(t.room).slice(joined.seq - joined.history))
      if (t.user !== 'zoe') expect(joined).toEqual({ seq: 0, history: 0 })
    }

    // The late joiner: its first 10 messages are the last 10 before it joined, then every live one.
    const zoe = result.transcripts.find((t) => t.user === 'zoe')!
    const joined = result.joins['zoe@lobby']!
    expect(joined.seq).toBeGreaterThanOrEqual(100)
    expect(joined.history).toBe(10)
    expect(zoe.history).toEqual(room('lobby').slice(joined.seq - 10, joined.seq))
    expect(zoe.live).toEqual(room('lobby').slice(joined.seq))
    expect([...zoe.history, ...zoe.live].slice(0, 10).map((m) => m.seq)).toEqual(upTo(10).map((i) => joined.seq - 10 + i))

    // Users on both workers, rooms on both workers.
    expect(new Set(Object.values(result.userThreads))).toEqual(new Set([1, 2]))
    expect(new Set(result.rooms.map((r) => r.thread))).toEqual(new Set([1, 2]))

    expect(result.checks.filter((check) => !check.passed)).toEqual([])
    expect(result.deadLetters).toBe(0)
    expect(result.ok).toBe(true)
  })
})
