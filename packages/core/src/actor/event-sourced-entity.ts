import { Entity } from './entity.js'

/** Brands event-sourced entity classes across module copies. */
export const EVENT_SOURCED_BRAND: unique symbol = Symbol.for('troupe.event-sourced')
/** @internal Where an instance keeps the events it persisted during the message being handled. */
export const PENDING_EVENTS: unique symbol = Symbol.for('troupe.pending-events')

/**
 * An event-sourced entity (Akka Persistence): its state is not stored as such but rebuilt from a
 * journal of events. A handler decides, then calls `this.persist(event)`, which applies the event
 * to `state` at once (`applyEvent`); the events a message persisted are appended to the journal,
 * all or none, when the message ends, before its reply leaves. A message that fails appends
 * nothing, and `state` goes back to what the journal holds.
 *
 * Recovery: on activation the latest snapshot is loaded and the events after it replayed through
 * `applyEvent`. A snapshot is written every `static snapshotEvery` events (default 100).
 *
 * Schema versions: every event is stored with `static eventVersion` (default 1). When an event's
 * shape changes, raise the version and implement `upcastEvent(event, version)`, which turns an
 * event stored under an older version into the current shape; it runs on replay, before
 * `applyEvent`. Old events stay as they were written; nothing is migrated in place.
 *
 * Change `state` only through events: a direct change is not journaled, and is lost on the next
 * activation.
 */
export abstract class EventSourcedEntity<Self = unknown, State = unknown, Event = unknown> extends Entity<Self, State> {
  static readonly [EVENT_SOURCED_BRAND] = true
  /** Events persisted by the message being handled; troupe appends and clears them. */
  declare [PENDING_EVENTS]: Event[] | undefined

  /** The state after `event`: a pure function of the two (it runs again on every replay). */
  abstract applyEvent(state: State, event: Event): State

  /** Turns an event stored under an older `eventVersion` into the current shape (see the class doc). */
  upcastEvent?(event: unknown, version: number): Event

  /** Applies `event` to `state` now, and journals it when the message ends. */
  protected persist(event: Event): void {
    this.state = this.applyEvent(this.state, event)
    ;(this[PENDING_EVENTS] ??= []).push(event)
  }
}

/** True for a class that extends `EventSourcedEntity`. */
export function isEventSourcedClass(value: unknown): boolean {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[EVENT_SOURCED_BRAND] === true
}
