import { randomUUID } from 'node:crypto'

/** What an actor answers to the heartbeat monitor's ping. */
export type Beat = {
  /** Which actor instance answered: a restart (or a re-creation after a crash) changes it. */
  readonly instance: string
  readonly thread: number
  /** A few words on the actor's state, for the log ("512 keys", "1,024 records in 30 kB"). */
  readonly detail: string
}

/** An actor the heartbeat monitor can watch. */
export interface Beating {
  beat(): Beat
}

/** A short random id per actor instance: enough to tell a fresh instance from the old one. */
export const newInstanceId = (): string => randomUUID().slice(0, 8)
