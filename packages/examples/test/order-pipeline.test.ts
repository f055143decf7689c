import { afterEach, describe, expect, it } from 'vitest'
import { ActorSystem } from 'troupe'
import { ORDER_PIPELINE_ACTOR_MODULES } from '../src/order-pipeline/actor-modules.js'
import { runOrderPipeline } from '../src/order-pipeline/run.js'
import { CARDS, RETRY, STOCK } from '../src/order-pipeline/scenario.js'
import { spawnPipeline } from '../src/order-pipeline/topology.js'
import type { Order } from '../src/order-pipeline/types.js'

describe('order-pipeline', () => {
  it('ends every scripted order as expected, notifies each transition in order, and reconciles stock', async () => {
    const result = await runOrderPipeline({ log: () => undefined, workers: 2 })

    expect(result.outcomes.map(({ orderId, status, attempts }) => ({ orderId, status, attempts }))).toEqual([
      { orderId: 1, status: 'shipped', attempts: 1 },
      { orderId: 2, status: 'shipped', attempts: 1 },
      { orderId: 3, status: 'out-of-stock', attempts: 0 },
      { orderId: 4, status: 'shipped', attempts: 3 },
      { orderId: 5, status: 'payment-failed', attempts: 4 },
      { orderId: 6, status: 'shipped', attempts: 1 },
      { orderId: 7, status: 'out-of-stock', attempts: 0 },
      { orderId: 8, status: 'shipped', attempts: 1 },
    ])

    const shippedPlain = ['received', 'reserved', 'paying#1', 'paid', 'shipped']
    expect(result.transitions).toEqual({
      1: shippedPlain,
      2: shippedPlain,
      3: ['received', 'out-of-stock'],
      4: ['received', 'reserved', 'paying#1', 'retry-scheduled#1 +25ms', 'paying#2', 'retry-scheduled#2 +50ms', 'paying#3', 'paid', 'shipped'],
      5: ['received', 'reserved', 'paying#1', 'retry-scheduled#1 +25ms', 'paying#2', 'retry-scheduled#2 +50ms', 'paying#3', 'retry-scheduled#3 +100ms', 'paying#4', 'payment-failed'],
      6: shippedPlain,
      7: ['received', 'out-of-stock'],
      8: shippedPlain,
    })

    // #5's three widgets were released; only shipped orders were sold.
    expect(result.stock).toEqual([
      { sku: 'widget', initial: 10, available: 3, reserved: 0, sold: 7 },
      { sku: 'gadget', initial: 3, available: 1, reserved: 0, sold: 2 },
      { sku: 'gizmo', initial: 1, available: 0, reserved: 0, sold: 1 },
    ])

    expect(result.heldOrderId).toBe(6)
    expect(result.heldStatus).toBe('paying')
    expect([...result.finishedWhileHeld].sort()).toEqual([1, 2, 3, 4, 5, 7, 8])
    expect(result.threads.processor).not.toBe(result.threads.payment)
    expect(result.threads.processor).not.toBe(result.threads.inventory)
    expect(result.deadLetters).toBe(0)
    expect(result.checks.filter((check) => !check.passed)).toEqual([])
    expect(result.ok).toBe(true)
  })

  describe('with a payment the gateway holds', () => {
    let system: ActorSystem | undefined
    afterEach(async () => {
      await system?.shutdown()
      system = undefined
    })

    it('keeps processing other orders until it is answered', async () => {
      system = await ActorSystem.start({ workers: 2, actors: ORDER_PIPELINE_ACTOR_MODULES })
      const { processor, payment, inventory } = await spawnPipeline(system, { stock: STOCK, cards: CARDS, retry: RETRY })
      const slow: Order = { id: 100, customer: 'slow', sku: 'widget', quantity: 1, amount: 100, card: 'held' }
      const slowOutcome = processor.with({ timeoutMs: 20_000 }).ask.place(slow)
      await expect.poll(() => payment.ask.heldCount()).toBe(1)

      // If the processor awaited the held charge inside a handler, these could never finish.
      for (let id = 101; id <= 105; id++) {
        const outcome = await processor.ask.place({ id, customer: `fast${id}`, sku: 'widget', quantity: 1, amount: 100, card: 'ok' })
        expect(outcome.status).toBe('shipped')
      }
      expect(await processor.ask.statusOf(100)).toBe('paying')
      expect((await inventory.ask.levels()).find((level) => level.sku === 'widget')).toMatchObject({ reserved: 1, sold: 5 })

      expect(await payment.ask.releaseHeld()).toBe(1)
      expect(await slowOutcome).toMatchObject({ orderId: 100, status: 'shipped', attempts: 1 })
      expect((await inventory.ask.levels()).find((level) => level.sku === 'widget')).toMatchObject({ available: 4, reserved: 0, sold: 6 })
    })
  })
})
