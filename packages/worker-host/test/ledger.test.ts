import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { InboundLedger, OutboundLedger, SETTLED_BYTE, reasonCode, reasonOf, type SentBatch } from '../src/transport/ledger.js'

/** Sends `sizes` batches through a fresh ledger; returns the ledger and each batch's region. */
function sendBatches(sizes: readonly number[]): { ledger: OutboundLedger; regions: { slab: number; offset: number; bytes: Uint8Array }[] } {
  const ledger = new OutboundLedger()
  const regions = sizes.map((count, n) => {
    const slab = ledger.reserve(count)
    const offset = slab.used
    ledger.hold(slab, count, new TextEncoder().encode(`batch ${n}`))
    return { slab: slab.id, offset, bytes: slab.bytes }
  })
  return { ledger, regions }
}

describe('OutboundLedger', () => {
  it('holds a batch until every byte of its region is settled, releasing from the front only', () => {
    const { ledger, regions } = sendBatches([3, 2])
    expect(ledger.held).toBe(2)
    const [first, second] = regions
    second!.bytes.fill(SETTLED_BYTE, second!.offset, second!.offset + 2)
    ledger.reclaim()
    expect(ledger.held).toBe(2) // the second is settled, but waits behind the first
    first!.bytes[first!.offset] = SETTLED_BYTE
    first!.bytes[first!.offset + 2] = SETTLED_BYTE
    ledger.reclaim()
    expect(ledger.held).toBe(2)
    first!.bytes[first!.offset + 1] = SETTLED_BYTE
    ledger.reclaim()
    expect(ledger.held).toBe(0)
  })

  it('finds the batch and message of any slot it holds, and nothing for a slot it does not', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        const { ledger, regions } = sendBatches(sizes)
        regions.forEach((region, n) => {
          for (const index of [0, sizes[n]! - 1]) {
            const found = ledger.find(region.slab, region.offset + index)
            expect(new TextDecoder().decode(found?.batch.bytes)).toBe(`batch ${n}`)
            expect(found?.index).toBe(index)
          }
        })
        expect(ledger.find(999, 0)).toBeUndefined()
      }),
      { numRuns: 50 },
    )
  })

  it('regions never overlap while held, and memory is reused once settled', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const { ledger, regions } = sendBatches(sizes)
        // Within each slab, regions sorted by offset must not reach into the next one.
        const bySlab = new Map<Uint8Array, { offset: number; end: number }[]>()
        regions.forEach((region, n) => {
          const list = bySlab.get(region.bytes) ?? []
          bySlab.set(region.bytes, list)
          list.push({ offset: region.offset, end: region.offset + sizes[n]! })
        })
        for (const [bytes, list] of bySlab) {
          list.sort((x, y) => x.offset - y.offset)
          list.forEach((region, i) => expect(region.end).toBeLessThanOrEqual(list[i + 1]?.offset ?? bytes.length))
        }
        regions.forEach((region, n) => region.bytes.fill(SETTLED_BYTE, region.offset, region.offset + sizes[n]!))
        ledger.reclaim()
        expect(ledger.held).toBe(0)
        const again = ledger.reserve(1)
        expect(again.bytes.every((byte) => byte === 0)).toBe(true) // recycled memory starts clean
      }),
      { numRuns: 50 },
    )
  })

  it('on the peer\'s death hands over every held batch in send order and starts clean for its replacement', () => {
    const { ledger, regions } = sendBatches([4, 4, 4])
    regions[0]!.bytes.fill(SETTLED_BYTE, regions[0]!.offset, regions[0]!.offset + 4)
    const visited: SentBatch[] = []
    ledger.peerDied((batch) => visited.push(batch))
    expect(visited.map((batch) => new TextDecoder().decode(batch.bytes))).toEqual(['batch 0', 'batch 1', 'batch 2'])
    expect(ledger.held).toBe(0)
    const next = ledger.reserve(4)
    expect(next.registered).toBe(false) // the replacement must be sent the slab again
    expect(next.bytes.subarray(0, 12).every((byte) => byte === 0)).toBe(true)
  })
})

describe('InboundLedger', () => {
  it('knows the sender\'s slabs until the sender dies', () => {
    const inbound = new InboundLedger(3)
    const buffer = new SharedArrayBuffer(8)
    inbound.register({ slab: 0, buffer })
    const slab = inbound.slab(0)!
    expect(slab.thread).toBe(3)
    slab.bytes[5] = SETTLED_BYTE
    expect(new Uint8Array(buffer)[5]).toBe(SETTLED_BYTE) // the sender sees it: shared memory
    expect(inbound.slab(-1)).toBeUndefined()
    inbound.senderDied()
    expect(slab.live).toBe(false)
    expect(inbound.slab(0)).toBeUndefined()
  })
})

describe('reason codes', () => {
  it('round-trip every dead-letter reason through one byte', () => {
    for (const reason of ['stopped', 'not-found', 'unknown-message', 'encode-failed', 'shutdown', 'mailbox-full', 'no-routee', 'routing-failed', 'worker-died'] as const) {
      const code = reasonCode(reason)
      expect(code).toBeGreaterThan(SETTLED_BYTE)
      expect(code).toBeLessThan(255)
      expect(reasonOf(code)).toBe(reason)
    }
  })
})
