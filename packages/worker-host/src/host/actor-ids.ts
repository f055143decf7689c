/**
 * Actor ids, allocated by each thread on its own: no thread asks another for one, so a thread
 * spawns an actor without a round trip. An id is `sequence * ID_THREADS + thread`: the low bits
 * name the thread that allocated it, the rest count up. A replacement worker (the same thread
 * slot, a later generation) counts in a range of its own, so ids are never reused in a run, and a
 * stale ref can never reach a new actor.
 *
 * Which thread allocated an id says nothing about where the actor lives: a ref routes by its
 * address (its thread, and later its node), never by its id.
 */

/** Room for the main thread and the most workers a system may have (1024), in the low bits. */
export const ID_THREADS = 2048
/** Ids one generation of a thread may allocate. */
const PER_GENERATION = 2 ** 30
/** Generations of one thread slot before ranges repeat: 11 + 30 + 12 bits stay below 2^53. */
const GENERATIONS = 4095

/** The id of `thread`'s system service (see `SPAWN`): never an actor's, and never 0 (not a target on the wire). */
export function serviceId(thread: number): number {
  return GENERATIONS * PER_GENERATION * ID_THREADS + thread
}

export class ActorIds {
  readonly #thread: number
  readonly #first: number
  #next: number

  constructor(thread: number, generation: number) {
    this.#thread = thread
    this.#first = (generation % GENERATIONS) * PER_GENERATION + 1
    this.#next = this.#first
  }

  /** The id of this thread's system service, in the one range no generation allocates from. */
  get serviceId(): number {
    return serviceId(this.#thread)
  }

  allocate(): number {
    return this.#next++ * ID_THREADS + this.#thread
  }

  /**
   * Whether this thread allocated `id` and the actor has had its chance to live: a message for
   * it that finds no actor here arrived late ("stopped"), not at a wrong address ("not found").
   */
  allocatedHere(id: number): boolean {
    if (id % ID_THREADS !== this.#thread) return false
    const sequence = Math.floor(id / ID_THREADS)
    return sequence < this.#next
  }
}
