import type { ActorRef, ActorSystem, SystemEvent } from 'troupe'
import type { Inventory } from './inventory.js'
import { exact } from '../shared/format.js'

export type Crash = { readonly thread: number; readonly reason: string }

/**
 * Follows `system.events` during the sale: tells what happens to the inventory's worker in
 * lines a person can follow, and records it for the checks.
 */
export class CrashWatch {
  readonly crashes: Crash[] = []
  inventoryRestarts = 0
  /** Other actors (buyers on the same worker) restarted with it. */
  othersRestarted = 0
  /** Resolves when the inventory's worker has been replaced and all its actors restarted. */
  readonly recovered: Promise<void>
  readonly #unsubscribe: () => void

  constructor(system: ActorSystem, inventory: ActorRef<Inventory>, inventoryThread: number, say: (line: string) => void) {
    let markRecovered: () => void = () => undefined
    this.recovered = new Promise((resolve) => (markRecovered = resolve))
    this.#unsubscribe = system.events.subscribe((event: SystemEvent) => {
      switch (event.type) {
        case 'worker-crashed':
          this.crashes.push({ thread: event.thread, reason: event.reason })
          say(`worker ${event.thread} crashed (${event.reason})${event.thread === inventoryThread ? ': it hosted the inventory' : ''}`)
          break
        case 'worker-replaced':
          say(`worker ${event.thread} replaced by a fresh thread in the same slot; restarting its actors`)
          break
        case 'actor-restarted':
          if (event.actor !== inventory.id) {
            this.othersRestarted++
            break
          }
          this.inventoryRestarts++
          // onStart has run by now: the fresh inventory already read the log back.
          inventory.ask.report().then(
            (report) => say(`inventory restarted on worker ${event.thread}: recovered ${exact(report.recoveredSold)} sold, ${exact(report.initial - report.recoveredSold)} left, from the writer's log`),
            (error: unknown) => say(`inventory restarted on worker ${event.thread}, but its report failed: ${String(error)}`),
          )
          break
        case 'worker-recovered':
          say(`worker ${event.thread} recovered: ${event.actors} actors restarted (the inventory and ${this.othersRestarted} buyers)`)
          if (event.thread === inventoryThread) markRecovered()
          break
        case 'actor-failed':
          if (event.actor === inventory.id) say(`inventory failed: ${event.error.message} → ${event.directive}`)
          break
        default:
          break
      }
    })
  }

  stop(): void {
    this.#unsubscribe()
  }
}
