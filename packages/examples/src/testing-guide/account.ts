import { Actor, type ActorRef } from 'troupe'

/** A bank account. `balance` and `setBalance` are the racy pair; `deposit` is the fix. */
export class Account extends Actor {
  #balance = 0

  balance(): number {
    return this.#balance
  }

  setBalance(value: number): void {
    this.#balance = value
  }

  /** Read, add and write in one message: nothing can come in between. */
  deposit(amount: number): number {
    this.#balance += amount
    return this.#balance
  }
}

/** Deposits by reading the balance, then writing it back plus the amount: two asks, not one. */
export class Depositor extends Actor {
  async deposit(account: ActorRef<Account>, amount: number): Promise<void> {
    const balance = await account.ask.balance()
    await account.ask.setBalance(balance + amount)
  }
}

/** The same client after the fix: one ask, and the account does the arithmetic. */
export class SafeDepositor extends Actor {
  async deposit(account: ActorRef<Account>, amount: number): Promise<void> {
    await account.ask.deposit(amount)
  }
}
