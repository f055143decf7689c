import type { ActorRef, ActorSystem } from 'troupe'
import { Inventory } from './inventory.js'
import { Notifier } from './notifier.js'
import { OrderProcessor } from './order-processor.js'
import { PaymentGateway } from './payment-gateway.js'
import { Shipping } from './shipping.js'
import type { CardBehaviour, RetryPolicy } from './types.js'

export interface Pipeline {
  readonly processor: ActorRef<OrderProcessor>
  readonly inventory: ActorRef<Inventory>
  readonly payment: ActorRef<PaymentGateway>
  readonly shipping: ActorRef<Shipping>
  readonly notifier: ActorRef<Notifier>
  /** The thread each actor reported it runs on: 0 is main, 1..N are workers. */
  readonly threads: Readonly<Record<'processor' | 'inventory' | 'payment' | 'shipping' | 'notifier', number>>
}

export interface PipelineSetup {
  readonly stock: Readonly<Record<string, number>>
  readonly cards: Readonly<Record<string, CardBehaviour>>
  readonly retry: RetryPolicy
}

/**
 * The processor on the first worker, inventory and payment on the next (so every ask the
 * processor makes crosses threads), shipping back on the first, and the notifier on the main
 * thread, where a real one would own the outgoing connections.
 */
export async function spawnPipeline(system: ActorSystem, setup: PipelineSetup): Promise<Pipeline> {
  const first = { worker: 0 }
  const second = { worker: 1 % system.workers }
  const notifier = await system.spawn(Notifier, { name: 'notifier', placement: 'main' })
  const inventory = await system.spawn(Inventory, { name: 'inventory', placement: second, args: [setup.stock] })
  const payment = await system.spawn(PaymentGateway, { name: 'payment', placement: second, args: [setup.cards] })
  const shipping = await system.spawn(Shipping, { name: 'shipping', placement: first })
  const processor = await system.spawn(OrderProcessor, {
    name: 'order-processor',
    placement: first,
    args: [{ inventory, payment, shipping, notifier }, setup.retry],
  })
  const [p, i, pay, s, n] = await Promise.all([
    processor.ask.thread(),
    inventory.ask.thread(),
    payment.ask.thread(),
    shipping.ask.thread(),
    notifier.ask.thread(),
  ])
  return { processor, inventory, payment, shipping, notifier, threads: { processor: p, inventory: i, payment: pay, shipping: s, notifier: n } }
}
