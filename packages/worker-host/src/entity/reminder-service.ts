import { InvalidOptionError, type ReminderSchedule } from '@troupe/core'
import type { Clock, Timer } from '../clock/clock.js'
import type { EntityStore, StoredReminder } from '../persistence/store/entity-store.js'

/** What the reminders of a thread need from it. */
export interface ReminderServiceDeps {
  readonly clock: Clock
  store(): Promise<EntityStore>
  /** Whether the entity with this store id lives on this thread (its reminders fire here). */
  isHome(storeId: string): boolean
  /** Runs `onReminder(name)` on the entity as a message, activating it; `done` hears how it ended. */
  fire(storeId: string, name: string, done: (ok: boolean) => void): void
}

/** A failed `onReminder` is tried again this much later (at least once, but not in a tight loop). */
const RETRY_MS = 1000
const MAX_DELAY_MS = 2 ** 31 - 1
/** Longest reminder name, in UTF-8 bytes (within the store's bound for a reminder's key). */
const MAX_NAME_BYTES = 200

interface Armed {
  reminder: StoredReminder
  timer: Timer | undefined
}

/**
 * The durable timers of the entities of one thread (Orleans' reminders, Dapr's). Each is kept in
 * the store, so it survives passivation and process restarts: every thread loads the reminders of
 * its entities when it starts. Due times are wall-clock (`Date.now()`, stored as ms since the
 * epoch); the wait until then runs on the thread's clock, so a test's manual time drives them.
 *
 * At least once: a reminder is removed (one-shot) or moved to its next due time (periodic) only
 * after its handler has ended, so a process that dies in between fires it again after its
 * restart; a handler that fails is tried again a second later. A periodic reminder is next due one
 * period after its handler ended (a fixed delay, like `ctx.every`). One that was due several times
 * while the process was down fires once when it starts again, then keeps its period from then on:
 * missed periods are skipped, never replayed in a burst.
 */
export class ReminderService {
  readonly #deps: ReminderServiceDeps
  readonly #armed = new Map<string, Armed>()
  #closed = false

  constructor(deps: ReminderServiceDeps) {
    this.#deps = deps
  }

  /** Arms the stored reminders of this thread's entities. */
  async start(): Promise<void> {
    const store = await this.#deps.store()
    for (const reminder of await store.reminders()) if (this.#deps.isHome(reminder.id)) this.#arm(reminder)
  }

  /**
   * Where entities live changed (a cluster's members): the reminders of entities that belong
   * elsewhere now are disarmed here, and those of entities that belong here now are armed (read
   * again from the store every node shares).
   */
  async rearm(): Promise<void> {
    for (const [key, armed] of [...this.#armed]) if (!this.#deps.isHome(armed.reminder.id)) this.#disarm(key)
    const store = await this.#deps.store()
    for (const reminder of await store.reminders()) {
      if (this.#deps.isHome(reminder.id) && !this.#armed.has(keyOf(reminder.id, reminder.name))) this.#arm(reminder)
    }
  }

  /** How many reminders are armed here. */
  get size(): number {
    return this.#armed.size
  }

  async remind(id: string, name: string, schedule: ReminderSchedule): Promise<void> {
    const reminder = checkReminder(id, name, schedule)
    // The delay is taken now, before the store write, and then waited on the thread's clock
    // (manual time in tests): the store write's duration does not shorten it.
    const delay = reminder.dueAt - Date.now()
    const store = await this.#deps.store()
    await store.putReminder(reminder)
    this.#arm(reminder, delay)
  }

  async cancel(id: string, name: string): Promise<void> {
    checkName(name)
    this.#disarm(keyOf(id, name))
    const store = await this.#deps.store()
    await store.deleteReminder(id, name)
  }

  close(): void {
    this.#closed = true
    for (const key of [...this.#armed.keys()]) this.#disarm(key)
  }

  /** Arms `reminder` to fire in `delayMs` (default: at its due time) on the thread's clock. */
  #arm(reminder: StoredReminder, delayMs = reminder.dueAt - Date.now()): void {
    if (this.#closed) return
    const key = keyOf(reminder.id, reminder.name)
    this.#disarm(key)
    const armed: Armed = { reminder, timer: undefined }
    this.#armed.set(key, armed)
    const wait = (left: number): void => {
      const delay = Math.max(0, left)
      // Node's timers take at most 2^31-1 ms: a reminder due later waits in steps.
      armed.timer = this.#deps.clock.setTimeout(() => (delay > MAX_DELAY_MS ? wait(delay - MAX_DELAY_MS) : this.#fire(key, armed)), Math.min(delay, MAX_DELAY_MS), true)
    }
    wait(delayMs)
  }

  #disarm(key: string): void {
    const armed = this.#armed.get(key)
    if (armed === undefined) return
    this.#deps.clock.clearTimeout(armed.timer)
    this.#armed.delete(key)
  }

  #fire(key: string, armed: Armed): void {
    armed.timer = undefined
    const { reminder } = armed
    this.#deps.fire(reminder.id, reminder.name, (ok) => void this.#fired(key, armed, ok))
  }

  async #fired(key: string, armed: Armed, ok: boolean): Promise<void> {
    // Replaced or cancelled while its handler ran: the newer decision stands.
    if (this.#armed.get(key) !== armed || this.#closed) return
    const { reminder } = armed
    if (!ok) {
      // One whose entity went to another node meanwhile is armed there (rearm), not tried again here.
      if (!this.#deps.isHome(reminder.id)) this.#disarm(key)
      else this.#arm(reminder, Math.min(RETRY_MS, reminder.periodMs ?? RETRY_MS))
      return
    }
    const store = await this.#deps.store()
    if (reminder.periodMs === undefined) {
      this.#armed.delete(key)
      await store.deleteReminder(reminder.id, reminder.name).catch(() => undefined)
      return
    }
    const next: StoredReminder = { ...reminder, dueAt: Date.now() + reminder.periodMs }
    this.#arm(next, reminder.periodMs)
    await store.putReminder(next).catch(() => undefined)
  }
}

function keyOf(id: string, name: string): string {
  return `${id}\u0000${name}`
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\u0000') || Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw new InvalidOptionError('remind(name)', `a non-empty string without NUL, at most ${MAX_NAME_BYTES} UTF-8 bytes`, name)
  }
}

function checkReminder(id: string, name: unknown, schedule: unknown): StoredReminder {
  checkName(name)
  if (typeof schedule !== 'object' || schedule === null) throw new InvalidOptionError('remind(schedule)', 'an object with dueMs or atMs', schedule)
  const { dueMs, atMs, periodMs } = schedule as { dueMs?: unknown; atMs?: unknown; periodMs?: unknown }
  if ((dueMs === undefined) === (atMs === undefined)) throw new InvalidOptionError('remind(schedule)', 'exactly one of dueMs and atMs', schedule)
  if (dueMs !== undefined && !(typeof dueMs === 'number' && Number.isFinite(dueMs) && dueMs >= 0)) throw new InvalidOptionError('remind(schedule).dueMs', 'a number of ms, 0 or more', dueMs)
  if (atMs !== undefined && !(typeof atMs === 'number' && Number.isFinite(atMs))) throw new InvalidOptionError('remind(schedule).atMs', 'a time in ms since the epoch', atMs)
  if (periodMs !== undefined && !(typeof periodMs === 'number' && Number.isInteger(periodMs) && periodMs >= 1)) {
    throw new InvalidOptionError('remind(schedule).periodMs', 'an integer of ms, 1 or more', periodMs)
  }
  const dueAt = atMs !== undefined ? (atMs as number) : Date.now() + (dueMs as number)
  return periodMs === undefined ? { id, name, dueAt } : { id, name, dueAt, periodMs: periodMs as number }
}
