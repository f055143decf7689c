// Main-thread client of the raw-port request-reply baselines: correlation ids and a Map of pending resolvers.
import type { MessagePort } from 'node:worker_threads'
import { incMessage } from './inc-message.js'
import { decodePosted, encodeForPost } from './msgpack-wire.js'
import type { AskReply, AskRequest } from './port-ask-protocol.js'

export class PortAskClient {
  private nextId = 0
  private readonly pending = new Map<number, (result: number) => void>()

  constructor(private readonly port: MessagePort) {
    port.on('message', (buffer: ArrayBuffer) => {
      const [id, result] = decodePosted(buffer) as AskReply
      const resolve = this.pending.get(id)
      this.pending.delete(id)
      resolve?.(result)
    })
  }

  /** Resolves with n + 1 as computed by the worker. */
  inc(n: number): Promise<number> {
    const id = this.nextId++
    return new Promise<number>((resolve) => {
      this.pending.set(id, resolve)
      const request: AskRequest = [id, incMessage(n)]
      const encoded = encodeForPost(request)
      this.port.postMessage(encoded, [encoded])
    })
  }

  close(): void {
    this.port.close()
  }
}
