import { describe, expect, it } from 'vitest'
import { createMailbox, resolveMailbox, type Mailbox, type MailboxItem } from '../src/internal.js'
import type { MailboxOptions, MessagePriority, OverflowPolicy } from '../src/index.js'

interface Item extends MailboxItem {
  readonly n: number
}
const item = (n: number, priority?: MessagePriority, system = false): Item => ({ n, priority, system })
const numbers = (items: readonly (Item | undefined)[]): (number | undefined)[] => items.map((i) => i?.n)
function takeAll(mailbox: Mailbox<Item>, onAdmit?: (admitted: Item) => void): number[] {
  const out: number[] = []
  const admitter = onAdmit && { admitted: onAdmit }
  for (let next = mailbox.dequeue(admitter); next !== undefined; next = mailbox.dequeue(admitter)) out.push(next.n)
  return out
}

const kinds: [string, MailboxOptions | undefined][] = [
  ['unbounded FIFO (default)', undefined],
  ...(['drop-newest', 'drop-oldest', 'reject', 'backpressure'] as OverflowPolicy[]).map((overflow): [string, MailboxOptions] => [`bounded FIFO, ${overflow}`, { capacity: 3, overflow }]),
  ['unbounded priority', { priority: true }],
  ...(['drop-newest', 'drop-oldest', 'reject', 'backpressure'] as OverflowPolicy[]).map((overflow): [string, MailboxOptions] => [`bounded priority, ${overflow}`, { capacity: 3, overflow, priority: true }]),
]

describe.each(kinds)('mailbox conformance: %s', (_name, options) => {
  const resolved = resolveMailbox(options)
  const make = () => createMailbox<Item>(resolved)

  it('is FIFO for messages of one priority, within its capacity', () => {
    const mailbox = make()
    for (const n of [1, 2, 3]) expect(mailbox.offer(item(n))).toEqual({ accepted: true })
    expect(mailbox.length).toBe(3)
    expect(takeAll(mailbox)).toEqual([1, 2, 3])
    expect(mailbox.length).toBe(0)
    expect(mailbox.dequeue()).toBeUndefined()
  })

  it('always accepts system messages, even when full, and never drops them', () => {
    const mailbox = make()
    for (const n of [1, 2, 3]) mailbox.offer(item(n))
    expect(mailbox.offer(item(99, undefined, true))).toEqual({ accepted: true })
    mailbox.offer(item(4)) // may be refused, parked or evict a normal message; never the system one
    expect(numbers(mailbox.drain())).toContain(99)
  })

  it('prepend puts messages back at the front, in order (unstash)', () => {
    const mailbox = make()
    mailbox.offer(item(3))
    mailbox.prepend([item(1), item(2)])
    expect(takeAll(mailbox)).toEqual([1, 2, 3])
  })

  it('drain empties it, parked messages included', () => {
    const mailbox = make()
    const offered = [1, 2, 3, 4, 5].map((n) => mailbox.offer(item(n)))
    const kept = numbers(mailbox.drain())
    const accepted = offered.filter((o) => o.accepted || o.parked).length
    expect(kept).toHaveLength(resolved.overflow === 'drop-oldest' && resolved.capacity === 3 ? 3 : accepted)
    expect(mailbox.length).toBe(0)
    expect(mailbox.parked).toBe(0)
  })

  it('applies its overflow policy when full', () => {
    const mailbox = make()
    const offers = [1, 2, 3, 4, 5].map((n) => mailbox.offer(item(n)))
    if (resolved.capacity === Infinity) {
      expect(offers.every((o) => o.accepted)).toBe(true)
      expect(takeAll(mailbox)).toEqual([1, 2, 3, 4, 5])
      return
    }
    switch (resolved.overflow) {
      case 'drop-newest':
      case 'reject':
        expect(offers.slice(3)).toEqual([{ accepted: false, parked: false }, { accepted: false, parked: false }])
        expect(takeAll(mailbox)).toEqual([1, 2, 3])
        break
      case 'drop-oldest':
        expect(numbers(offers.map((o) => (o.accepted ? o.evicted : undefined)))).toEqual([undefined, undefined, undefined, 1, 2])
        expect(takeAll(mailbox)).toEqual([3, 4, 5])
        break
      case 'backpressure': {
        expect(offers.slice(3)).toEqual([{ accepted: false, parked: true }, { accepted: false, parked: true }])
        expect(mailbox.length).toBe(3)
        expect(mailbox.parked).toBe(2)
        const admitted: number[] = []
        expect(takeAll(mailbox, (a) => admitted.push(a.n))).toEqual([1, 2, 3, 4, 5])
        expect(admitted).toEqual([4, 5]) // each admitted when a place freed, in order
        break
      }
    }
  })

  if (resolved.priority) {
    it('takes system, then high, then normal, then low messages; FIFO within each', () => {
      const mailbox = make()
      const offered = [item(1, 'low'), item(2, 'normal'), item(3, 'high'), item(4, undefined, true)]
      for (const i of offered) mailbox.offer(i)
      expect(takeAll(mailbox)).toEqual([4, 3, 2, 1])
    })

    if (resolved.overflow === 'drop-oldest' && resolved.capacity !== Infinity) {
      it('evicts the oldest message of the lowest priority first', () => {
        const mailbox = make()
        for (const i of [item(1, 'high'), item(2, 'low'), item(3, 'low')]) mailbox.offer(i)
        const offer = mailbox.offer(item(4, 'high'))
        expect(offer.accepted && offer.evicted?.n).toBe(2)
        expect(takeAll(mailbox)).toEqual([1, 4, 3])
      })
    }
  }
})

describe('mailbox options', () => {
  it.each([
    [{ capacity: 0 }, /mailbox\.capacity/],
    [{ overflow: 'spill' }, /mailbox\.overflow/],
    [{ priority: 'yes' }, /mailbox\.priority/],
    ['big', /option "mailbox"/],
  ])('rejects %j with the option named', (options, message) => {
    expect(() => resolveMailbox(options)).toThrow(message)
  })
})
