import { ActorSystem, type ActorRef } from 'troupe'
import { ORDER_PIPELINE_ACTOR_MODULES } from './actor-modules.js'
import { checkPipeline, type Check } from './checks.js'
import type { Notifier } from './notifier.js'
import { eventLine, orderLine, placementLines, stockLine } from './report.js'
import { CARDS, label, ORDERS, RETRY, STOCK } from './scenario.js'
import { spawnPipeline } from './topology.js'
import { isFinal, type Order, type OrderOutcome, type OrderStatus, type StatusEvent, type StockLevel } from './types.js'

export interface OrderPipelineOptions {
  /** Where the example's lines go. */
  readonly log: (line: string) => void
  /** Worker threads. Default 2. */
  readonly workers?: number
}

export interface OrderPipelineResult {
  readonly ok: boolean
  readonly checks: readonly Check[]
  /** Every order's final outcome, by order id. */
  readonly outcomes: readonly OrderOutcome[]
  /** Each order's transitions as the notifier received them ("paying#2", "retry-scheduled#1 +25ms"). */
  readonly transitions: Readonly<Record<number, readonly string[]>>
  readonly stock: readonly StockLevel[]
  readonly heldOrderId: number
  /** The held order's status at the moment every other order had finished. */
  readonly heldStatus: OrderStatus | undefined
  /** Orders that reached a final status while the held payment was pending. */
  readonly finishedWhileHeld: readonly number[]
  readonly threads: Readonly<Record<string, number>>
  readonly deadLetters: number
}

/**
 * Places the scripted orders all at once and follows the notifier's feed as they move. The
 * gateway holds one order's payment until every other order has finished, which shows the
 * processor never waits on a slow payment; then it lets that payment through.
 */
export async function runOrderPipeline(options: OrderPipelineOptions): Promise<OrderPipelineResult> {
  const { log } = options
  const system = await ActorSystem.start({ workers: options.workers ?? 2, actors: ORDER_PIPELINE_ACTOR_MODULES })
  try {
    const pipeline = await spawnPipeline(system, { stock: STOCK, cards: CARDS, retry: RETRY })
    log(`order-pipeline: ${system.workers} workers + main thread`)
    for (const line of placementLines(pipeline.threads)) log(line)
    log(`stock: ${Object.entries(STOCK).map(([sku, n]) => `${n} ${sku}`).join(', ')}; payment retries: ${RETRY.maxAttempts} attempts, backoff from ${RETRY.baseDelayMs} ms doubling`)
    log('')
    log(`placing ${ORDERS.length} orders at once:`)
    for (const { order, expected } of ORDERS) log(orderLine(order, expected))
    log('')

    const byId = new Map<number, Order>(ORDERS.map(({ order }) => [order.id, order]))
    const held = ORDERS.find(({ order }) => CARDS[order.card]?.hold === true)
    if (held === undefined) throw new Error('the script needs one order whose payment the gateway holds')
    const heldOrderId = held.order.id

    // Asks that resolve when each order is final; the deadline covers the held payment.
    const placing = Promise.all(ORDERS.map(({ order }) => pipeline.processor.with({ timeoutMs: 20_000 }).ask.place(order)))
    const feed = new FeedReader(pipeline.notifier, (event) => log(eventLine(event, byId.get(event.orderId))))

    // Phase 1: everything but the held order finishes.
    await feed.until((finished) => finished.length >= ORDERS.length - 1)
    const finishedWhileHeld = [...feed.finished]
    const heldStatus = await pipeline.processor.ask.statusOf(heldOrderId)
    const heldCharges = await pipeline.payment.ask.heldCount()
    log('')
    log(`${finishedWhileHeld.length} orders finished while the gateway still holds ${heldCharges} charge${heldCharges === 1 ? '' : 's'} (#${heldOrderId} is '${heldStatus ?? 'unknown'}'): the processor never waited for it.`)
    log(`releasing #${heldOrderId}'s payment`)
    log('')
    pipeline.payment.tell.releaseHeld()

    // Phase 2: the held order finishes too.
    await feed.until((finished) => finished.length >= ORDERS.length)
    const outcomes = [...(await placing)].sort((a, b) => a.orderId - b.orderId)
    const stock = await pipeline.inventory.ask.levels()
    const transitions = transitionsByOrder(feed.events)
    const deadLetters = system.deadLetters.count
    const checks = checkPipeline(ORDERS, RETRY, { outcomes, transitions, stock, heldOrderId, heldStatus, finishedWhileHeld, deadLetters })

    log('')
    log('Outcomes')
    for (const outcome of outcomes) {
      log(`  #${outcome.orderId} ${outcome.status.padEnd(14)} ${(transitions[outcome.orderId] ?? []).join(' → ')}`)
    }
    log('Stock')
    for (const level of stock) log(stockLine(level))
    log('Checks')
    for (const check of checks) log(`  ${check.passed ? 'ok  ' : 'FAIL'} ${check.detail}`)
    const ok = checks.every((check) => check.passed)
    log(ok ? `PASS: all ${checks.length} checks` : `FAIL: ${checks.filter((c) => !c.passed).length} of ${checks.length} checks failed`)
    return { ok, checks, outcomes, transitions, stock, heldOrderId, heldStatus, finishedWhileHeld, threads: pipeline.threads, deadLetters }
  } finally {
    await system.shutdown()
  }
}

/** Follows the notifier's feed: each `feed(cursor)` ask answers with the events not seen yet. */
class FeedReader {
  readonly events: StatusEvent[] = []
  /** Orders that reached a final status, in the order the notifier heard it. */
  readonly finished: number[] = []

  constructor(
    private readonly notifier: ActorRef<Notifier>,
    private readonly onEvent: (event: StatusEvent) => void,
  ) {}

  async until(done: (finished: readonly number[]) => boolean): Promise<void> {
    while (!done(this.finished)) {
      for (const event of await this.notifier.ask.feed(this.events.length)) {
        this.events.push(event)
        if (isFinal(event.status)) this.finished.push(event.orderId)
        this.onEvent(event)
      }
    }
  }
}

function transitionsByOrder(events: readonly StatusEvent[]): Record<number, string[]> {
  const transitions: Record<number, string[]> = {}
  for (const event of events) (transitions[event.orderId] ??= []).push(label(event))
  return transitions
}
