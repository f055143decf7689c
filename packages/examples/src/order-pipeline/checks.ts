import { expectedLabels, type ScriptedOrder } from './scenario.js'
import type { OrderOutcome, OrderStatus, RetryPolicy, StockLevel } from './types.js'

export interface Check {
  readonly id: 'statuses' | 'notifications' | 'stock' | 'not-blocked' | 'dead-letters'
  readonly passed: boolean
  /** One line for people: what was compared and what was found. */
  readonly detail: string
}

export interface Observed {
  readonly outcomes: readonly OrderOutcome[]
  /** Each order's transitions as labels, in the order the notifier received them. */
  readonly transitions: Readonly<Record<number, readonly string[]>>
  readonly stock: readonly StockLevel[]
  /** The order whose payment the gateway held, and what finished meanwhile. */
  readonly heldOrderId: number
  readonly heldStatus: OrderStatus | undefined
  readonly finishedWhileHeld: readonly number[]
  readonly deadLetters: number
}

/** Compares what happened with what the script says must happen. */
export function checkPipeline(script: readonly ScriptedOrder[], policy: RetryPolicy, observed: Observed): Check[] {
  return [statuses(script, observed), notifications(script, policy, observed), stock(script, observed), notBlocked(script, observed), deadLetters(observed)]
}

function statuses(script: readonly ScriptedOrder[], { outcomes }: Observed): Check {
  const wrong = script.filter(({ order, expected, expectedAttempts }) => {
    const outcome = outcomes.find((o) => o.orderId === order.id)
    return outcome?.status !== expected || outcome.attempts !== expectedAttempts
  })
  return {
    id: 'statuses',
    passed: wrong.length === 0 && outcomes.length === script.length,
    detail: wrong.length === 0 ? `${script.length}/${script.length} orders ended as scripted (status and payment attempts)` : `orders not as scripted: ${wrong.map((s) => `#${s.order.id}`).join(', ')}`,
  }
}

function notifications(script: readonly ScriptedOrder[], policy: RetryPolicy, { transitions }: Observed): Check {
  const wrong = script.filter((scripted) => {
    const expected = expectedLabels(scripted, policy)
    const seen = transitions[scripted.order.id] ?? []
    return seen.length !== expected.length || seen.some((label, i) => label !== expected[i])
  })
  return {
    id: 'notifications',
    passed: wrong.length === 0,
    detail: wrong.length === 0 ? 'every order notified its exact transitions, in order' : `unexpected transitions for ${wrong.map((s) => `#${s.order.id}`).join(', ')}`,
  }
}

/** Nothing left reserved, nothing lost: initial = available + sold, and sold = what shipped. */
function stock(script: readonly ScriptedOrder[], { stock: levels, outcomes }: Observed): Check {
  const shipped = new Map<string, number>()
  for (const { order } of script) {
    if (outcomes.find((o) => o.orderId === order.id)?.status === 'shipped') shipped.set(order.sku, (shipped.get(order.sku) ?? 0) + order.quantity)
  }
  const wrong = levels.filter((level) => level.reserved !== 0 || level.available + level.sold !== level.initial || level.sold !== (shipped.get(level.sku) ?? 0))
  return {
    id: 'stock',
    passed: levels.length > 0 && wrong.length === 0,
    detail: wrong.length === 0 ? 'stock reconciles: nothing reserved, initial = available + sold, sold = shipped' : `stock off for ${wrong.map((l) => l.sku).join(', ')}`,
  }
}

/** While one payment was held, the processor finished every other order. */
function notBlocked(script: readonly ScriptedOrder[], observed: Observed): Check {
  const others = script.length - 1
  const passed = observed.heldStatus === 'paying' && observed.finishedWhileHeld.length === others && !observed.finishedWhileHeld.includes(observed.heldOrderId)
  return {
    id: 'not-blocked',
    passed,
    detail: `${observed.finishedWhileHeld.length}/${others} other orders finished while #${observed.heldOrderId}'s payment was held (it was '${observed.heldStatus ?? 'unknown'}')`,
  }
}

function deadLetters({ deadLetters: count }: Observed): Check {
  return { id: 'dead-letters', passed: count === 0, detail: `dead letters: ${count}` }
}
