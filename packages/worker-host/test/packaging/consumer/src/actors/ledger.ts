import { Actor } from 'troupe'

type Add = { type: 'add'; amount: number }
type Total = { type: 'total' }
type Entries = { type: 'entries' }

/** A message-style actor whose asks are typed per message, through receive's overloads. */
export class Ledger extends Actor {
  #entries: number[] = []

  receive(message: Add): void
  receive(message: Total): number
  receive(message: Entries): readonly number[]
  receive(message: Add | Total | Entries): void | number | readonly number[] {
    if (message.type === 'add') this.#entries.push(message.amount)
    else if (message.type === 'total') return this.#entries.reduce((a, b) => a + b, 0)
    else return [...this.#entries]
  }
}
