import type { NatsConnection, Subscription } from '@nats-io/transport-node'
import { ClusterError } from '@troupe/core'
import { fromWireError, toWireError, type WireError } from '@troupe/core/internal'
import type { RefInfo, SpawnRequest } from '../protocol/control.js'
import { controlSubject, decodeControlReply, decodeControlRequest, encodeControl, type ControlRequest, type RemoteRefInfo } from '../protocol/cluster-wire.js'

/** What a node answers for the others (its main thread's host does the work). */
export interface ControlHandlers {
  lookup(name: string): Promise<RefInfo | undefined>
  /** A top-level actor, spawned as `system.spawn` would (the allow-list is this node's). */
  spawn(request: SpawnRequest): Promise<RefInfo>
  stop(id: number, thread: number): Promise<void>
}

/**
 * Control requests between nodes, over NATS request-reply: each node answers on its own subject
 * (`troupe.<cluster>.ctl.<id>`). Today: looking up a named actor on another node
 * (`system.lookup(name, { node })`). Every request has a deadline.
 */
export class NodeControl {
  readonly #nc: NatsConnection
  readonly #cluster: string
  readonly #subscription: Subscription

  constructor(nc: NatsConnection, cluster: string, self: number, handlers: ControlHandlers) {
    this.#nc = nc
    this.#cluster = cluster
    this.#subscription = nc.subscribe(controlSubject(cluster, self), {
      callback: (error, msg) => {
        if (error) return
        void answer(msg.data, handlers).then((reply) => msg.respond(reply))
      },
    })
  }

  /** Asks node `node` (its id; `nodeName` for errors); the answer is an actor's [id, thread, name], or undefined. */
  async request(node: number, nodeName: string, request: ControlRequest, timeoutMs: number): Promise<RemoteRefInfo | undefined> {
    let bytes: Uint8Array
    try {
      bytes = (await this.#nc.request(controlSubject(this.#cluster, node), encodeControl(request), { timeout: timeoutMs })).data
    } catch (error) {
      const what = request[0] === 'lookup' ? `lookup of ${JSON.stringify(request[1])}` : request[0] === 'spawn' ? `spawn of ${request[1].export}` : `stop of actor#${request[1]}`
      throw new ClusterError(`${what} on node ${nodeName} got no answer within ${timeoutMs} ms: ${(error as Error).message}`, { cause: error })
    }
    const [ok, value] = decodeControlReply(bytes)
    if (!ok) throw fromWireError(value as WireError)
    return (value as RemoteRefInfo | null) ?? undefined
  }

  close(): void {
    this.#subscription.unsubscribe()
  }
}

async function answer(bytes: Uint8Array, handlers: ControlHandlers): Promise<Uint8Array> {
  try {
    const request = decodeControlRequest(bytes)
    if (!request) throw new ClusterError('a control request this node does not know')
    if (request[0] === 'stop') {
      await handlers.stop(request[1], request[2])
      return encodeControl([true, null])
    }
    const info = request[0] === 'lookup' ? await handlers.lookup(request[1]) : await handlers.spawn(request[1])
    return encodeControl([true, info ? [info.id, info.thread, info.name ?? null] : null])
  } catch (error) {
    return encodeControl([false, toWireError(error)])
  }
}
