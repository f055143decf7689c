import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Deque } from '../src/internal.js'

describe('Deque', () => {
  it('behaves like an array queue under any sequence of push/shift', () => {
    const operation = fc.oneof(fc.record({ push: fc.integer() }), fc.constant({ shift: true as const }), fc.record({ swap: fc.nat(600) }))
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 500 }), (operations) => {
        const deque = new Deque<number>(2)
        const model: number[] = []
        for (const op of operations) {
          if ('push' in op) {
            deque.push(op.push)
            model.push(op.push)
          } else if ('swap' in op) {
            // swapToFront: the item at that index and the front trade places (out of range: nothing).
            deque.swapToFront(op.swap)
            if (op.swap > 0 && op.swap < model.length) [model[0], model[op.swap]] = [model[op.swap]!, model[0]!]
          } else {
            expect(deque.shift()).toBe(model.shift())
          }
          expect(deque.length).toBe(model.length)
          expect(deque.peek()).toBe(model[0])
        }
        expect(deque.drain()).toEqual(model)
        expect(deque.length).toBe(0)
      }),
    )
  })
})
