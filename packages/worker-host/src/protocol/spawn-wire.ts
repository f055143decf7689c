/**
 * The bodies of the spawn messages that travel straight between workers and to main (`SPAWN_AT`,
 * `SPAWNED`): fixed-position tuples, one writer and one reader each, side by side.
 *
 * What a spawn says about the child's kind and options (its blueprint) is the same for every
 * child of a class spawned with default options, and a parent's supervision is the same for
 * every child of that parent: each is encoded once (msgpack of a nested object costs several
 * microseconds, more than the rest of a spawn) and travels as bytes; the receiver decodes each
 * distinct encoding once. A remote spawn then costs the link a few numbers and two byte strings.
 */
import type { AskErrorPolicy, DeliveryGuarantee, ReentrancyMode, RestartType } from '@troupe/core'
import { DETACHED_RUNTIME, decodeValue, encodeValue, type ResolvedMailbox, type ResolvedSupervision } from '@troupe/core/internal'
import type { RefInfo, SpawnRequest } from './control.js'

/** A child's kind and options, as its creator and its supervisor need them. */
export interface SpawnBlueprint {
  readonly module: string
  readonly export: string
  readonly restart: RestartType
  readonly supervision: ResolvedSupervision
  readonly mailbox: ResolvedMailbox
  readonly handlerTimeoutMs: number | undefined
  /** Unset: the system's default. */
  readonly delivery: DeliveryGuarantee | undefined
  readonly askErrors: AskErrorPolicy
  readonly reentrancy: ReentrancyMode
}

/**
 * `SPAWN_AT`: the parent (on the sending thread), the encoded blueprint, the constructor
 * arguments, the parent's supervision when main has no record of the parent, and the wall-clock
 * time (`Date.now()`, shared by the threads of a process) by which the child must have started.
 */
export type SpawnAtBody = [
  parentId: number,
  parentName: string | undefined,
  parentWindow: number,
  blueprint: Uint8Array,
  args: Uint8Array | undefined,
  foreignSupervision: Uint8Array | undefined,
  deadline: number,
]

/** `SPAWN_AT`'s answer: the child's id and credit window, and the generation of the thread that holds it. */
export type SpawnAtReply = [childId: number, childWindow: number, generation: number]

/** `SPAWNED`: the spawn as main records it; the generations let main see a death it has not heard of yet. */
export type SpawnedBody = [
  parentId: number,
  parentName: string | undefined,
  parentWindow: number,
  parentThread: number,
  parentGeneration: number,
  childId: number,
  childThread: number,
  childWindow: number,
  childGeneration: number,
  blueprint: Uint8Array,
  args: Uint8Array | undefined,
  foreignSupervision: Uint8Array | undefined,
]

/** A `SPAWN_AT` as the creating thread reads it. */
export interface SpawnAtOrder {
  readonly parent: RefInfo
  readonly blueprint: SpawnBlueprint
  readonly args: Uint8Array | undefined
  /** `Date.now()` by which the child must have started; past it, it is not created (or is stopped). */
  readonly deadline: number
}

/** A `SPAWNED` as main reads it. */
export interface SpawnedRecord {
  readonly parent: RefInfo
  readonly parentGeneration: number
  readonly child: RefInfo
  readonly childGeneration: number
  readonly blueprint: SpawnBlueprint
  readonly args: Uint8Array | undefined
  /** Set when main has no record of the parent (an actor of its thread's local tree). */
  readonly foreignSupervision: ResolvedSupervision | undefined
}

/** The blueprint part of a spawn request. */
export function blueprintOf(request: SpawnRequest): SpawnBlueprint {
  const { module, restart, supervision, mailbox, handlerTimeoutMs, delivery, askErrors, reentrancy } = request
  return { module, export: request.export, restart, supervision, mailbox, handlerTimeoutMs, delivery, askErrors, reentrancy }
}

/** Distinct encodings decoded and kept by a receiver; past this many, it starts over. */
const MAX_DECODED = 1024

/**
 * Encodes blueprints and supervisions once per object (the sender shares them between spawns)
 * and decodes each distinct encoding once. Neither table grows with the number of spawns: the
 * encoded ones follow the objects they are keyed on, the decoded ones are bounded.
 */
export class SpawnWireCache {
  readonly #encoded = new WeakMap<object, Uint8Array>()
  readonly #decoded = new Map<string, unknown>()
  #last: { bytes: Uint8Array; value: unknown } | undefined

  encode(value: SpawnBlueprint | ResolvedSupervision): Uint8Array {
    let bytes = this.#encoded.get(value)
    if (bytes === undefined) {
      bytes = encodeValue(value)
      this.#encoded.set(value, bytes)
    }
    return bytes
  }

  decode<T extends SpawnBlueprint | ResolvedSupervision>(bytes: Uint8Array): T {
    // A stream of spawns of one class carries the same bytes each time: comparing them is cheaper than keying on them.
    const last = this.#last
    if (last !== undefined && Buffer.compare(last.bytes, bytes) === 0) return last.value as T
    const value = this.#decodeKeyed(bytes)
    this.#last = { bytes, value }
    return value as T
  }

  #decodeKeyed(bytes: Uint8Array): unknown {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
    let value = this.#decoded.get(key)
    if (value === undefined) {
      if (this.#decoded.size >= MAX_DECODED) this.#decoded.clear()
      // Blueprints and supervisions hold no refs: nothing attaches to a runtime.
      value = Object.freeze(decodeValue(bytes, DETACHED_RUNTIME))
      this.#decoded.set(key, value)
    }
    return value
  }

  writeSpawnAt(parent: RefInfo, blueprint: SpawnBlueprint, args: Uint8Array | undefined, foreignSupervision: ResolvedSupervision | undefined, deadline: number): SpawnAtBody {
    return [parent.id, parent.name, parent.window, this.encode(blueprint), args, foreignSupervision && this.encode(foreignSupervision), deadline]
  }

  /** `thread`: the sender's, where the parent lives. */
  readSpawnAt(body: SpawnAtBody, thread: number): SpawnAtOrder {
    const [id, name, window, blueprint, args, , deadline] = body
    return { parent: { id, thread, name, window }, blueprint: this.decode(blueprint), args, deadline }
  }

  writeSpawned(order: SpawnAtBody, parentThread: number, parentGeneration: number, child: RefInfo, childGeneration: number): SpawnedBody {
    const [parentId, parentName, parentWindow, blueprint, args, foreignSupervision] = order
    return [parentId, parentName, parentWindow, parentThread, parentGeneration, child.id, child.thread, child.window, childGeneration, blueprint, args, foreignSupervision]
  }

  readSpawned(body: SpawnedBody): SpawnedRecord {
    const [parentId, parentName, parentWindow, parentThread, parentGeneration, childId, childThread, childWindow, childGeneration, blueprint, args, foreignSupervision] = body
    return {
      parent: { id: parentId, thread: parentThread, name: parentName, window: parentWindow },
      parentGeneration,
      child: { id: childId, thread: childThread, name: undefined, window: childWindow },
      childGeneration,
      blueprint: this.decode(blueprint),
      args,
      foreignSupervision: foreignSupervision && this.decode<ResolvedSupervision>(foreignSupervision),
    }
  }
}
