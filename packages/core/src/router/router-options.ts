import { InvalidOptionError } from '../errors/errors.js'
import type { ActorRef } from '../ref/actor-ref.js'
import type { Placement } from '../placement/placement.js'
import type { SpawnOptions } from '../options/spawn-options.js'
import type { SupervisionOptions } from '../supervision/supervision-options.js'

/**
 * How a router picks the routee of each message.
 * - `round-robin`: each routee in turn.
 * - `random`: uniformly at random.
 * - `broadcast`: every routee gets every message (an ask resolves with the first reply).
 * - `consistent-hash`: by the message's key (`hashKey`); the same key always reaches the same
 *   routee while the routees stay the same, and adding or removing one moves only its share.
 * - `smallest-mailbox`: the routee with the fewest messages routed to it and not yet processed.
 * - `balancing`: a shared queue at the router; a routee gets a message only when it has fewer
 *   than `prefetch` in hand, so an idle routee takes the work a busy one would have queued.
 */
export type RoutingStrategy = 'round-robin' | 'random' | 'broadcast' | 'consistent-hash' | 'smallest-mailbox' | 'balancing'

export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = ['round-robin', 'random', 'broadcast', 'consistent-hash', 'smallest-mailbox', 'balancing']

/** A message as a consistent-hash key function sees it: the method and its arguments (`receive` for `receive(msg)`, with `[msg]`). */
export interface RoutedMessage {
  readonly method: string
  readonly args: readonly unknown[]
}

/** A consistent-hash key function (main-thread routers only). */
export type KeyFunction = (message: RoutedMessage) => unknown

/**
 * Where the consistent-hash key of a message is, as data (so it works on any thread): the
 * argument at `argument` (default 0; for `receive`, the message), then the property at the
 * dotted `path` inside it, if given.
 */
export interface HashKeyPath {
  readonly argument?: number
  readonly path?: string
}

/** Options shared by pool and group routers. */
export interface RouterOptions {
  readonly strategy: RoutingStrategy
  /** A system-wide unique name for the router, for `lookup`. */
  readonly name?: string
  /** Which thread hosts the router itself. Default: the scheduler's choice, like any actor. */
  readonly placement?: Placement
  /**
   * `consistent-hash` only: the key of a message. Data (`{ argument, path }`, default the first
   * argument) works wherever the router lives; a function needs `placement: 'main'`, because a
   * function cannot be sent to another thread.
   */
  readonly hashKey?: HashKeyPath | KeyFunction
  /** `consistent-hash` only: points per routee on the hash ring. More spread keys more evenly. Default 160. */
  readonly virtualNodes?: number
  /** `balancing` only: messages a routee may hold at once (being processed or queued). Default 2. */
  readonly prefetch?: number
}

/** The routees' spawn options (the router names nothing: routees are anonymous). */
export type RouteeOptions<Args extends readonly unknown[] = []> = Omit<SpawnOptions<Args>, 'name'>

/** A pool router: it spawns `size` routees of one actor class, supervises them and can be resized. */
export type PoolRouterOptions<Args extends readonly unknown[] = []> = RouterOptions & {
  /** Number of routees to start with. */
  readonly size: number
  /** How the router supervises its routees. Default: one-for-one restarts, 3 within 5 s. */
  readonly supervision?: SupervisionOptions
} & ([] extends Args ? { readonly routee?: RouteeOptions<Args> } : { readonly routee: RouteeOptions<Args> })

/** A router's ref: sending to it routes to its routees. Refs to it may travel in messages, as plain `ActorRef`s. */
export interface RouterRef<A> extends ActorRef<A> {
  /** The current routees, in routing order. */
  routees(): Promise<ActorRef<A>[]>
}

/** A router over routees it spawned and supervises. */
export interface PoolRouter<A> extends RouterRef<A> {
  /** Grows (spawning routees) or shrinks (stopping the newest routees after their queued messages) the pool. */
  resize(size: number): Promise<void>
}

/** A router over existing actors. */
export interface GroupRouter<A> extends RouterRef<A> {
  /** Adds a routee; the router watches it and drops it when it stops. */
  add(routee: ActorRef<A>): Promise<void>
  /** Removes a routee (it is not stopped). */
  remove(routee: ActorRef<A>): Promise<void>
}

/** The router's routing settings as plain data, as they travel to the router's thread. */
export interface RoutingSpec {
  readonly strategy: RoutingStrategy
  /** A key path, or the token of a key function registered on the main thread. */
  readonly hashKey: HashKeyPath | { readonly local: string }
  readonly virtualNodes: number
  readonly prefetch: number
}

export const MAX_ROUTEES = 65_536

/** Validates the routing options; a key function is returned apart (it stays on the main thread). */
export function resolveRouting(options: unknown): { spec: Omit<RoutingSpec, 'hashKey'>; hashKey: HashKeyPath | KeyFunction } {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object { strategy, ... }', options)
  const { strategy, hashKey = {}, virtualNodes = 160, prefetch = 2, placement } = options as RouterOptions
  if (!ROUTING_STRATEGIES.includes(strategy)) throw new InvalidOptionError('strategy', `one of ${ROUTING_STRATEGIES.join(', ')}`, strategy)
  if (typeof hashKey === 'function') {
    if (placement !== 'main') throw new InvalidOptionError('hashKey', "{ argument?, path? } unless the router has placement 'main' (a function cannot cross threads)", hashKey)
  } else if (typeof hashKey !== 'object' || hashKey === null) {
    throw new InvalidOptionError('hashKey', 'a function or { argument?, path? }', hashKey)
  } else {
    const { argument = 0, path } = hashKey
    if (!(Number.isInteger(argument) && argument >= 0)) throw new InvalidOptionError('hashKey.argument', 'a non-negative integer', argument)
    if (path !== undefined && (typeof path !== 'string' || path.length === 0)) throw new InvalidOptionError('hashKey.path', 'a non-empty dotted property path', path)
  }
  if (!(Number.isInteger(virtualNodes) && virtualNodes >= 1 && virtualNodes <= 4096)) throw new InvalidOptionError('virtualNodes', 'an integer from 1 to 4096', virtualNodes)
  if (!(Number.isInteger(prefetch) && prefetch >= 1 && prefetch <= 2 ** 20)) throw new InvalidOptionError('prefetch', 'an integer from 1 to 1048576', prefetch)
  return { spec: { strategy, virtualNodes, prefetch }, hashKey }
}

export function validateRouterSize(size: unknown, option = 'size'): number {
  if (!(typeof size === 'number' && Number.isInteger(size) && size >= 0 && size <= MAX_ROUTEES)) {
    throw new InvalidOptionError(option, `an integer from 0 to ${MAX_ROUTEES}`, size)
  }
  return size
}
