import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Deque } from '../src/internal.js'

describe('Deque', () => {
  it('behaves like an array queue under any sequence of push/shift', () => {
    const operation = fc.oneof(fc.record({ push: fc.integer() }), fc.constant({ shift: true as const }))
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 500 }), (operations) => {
        const deque = new Deque<number>(2)
        const model: number[] = []
        for (const op of operations) {
          if ('push' in op) {
            deque.push(op.push)
            model.push(op.push)
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
