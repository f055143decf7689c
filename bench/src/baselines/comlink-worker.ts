// Server side of baseline.comlink.pipelined: a trivial method exposed with comlink over parentPort.
import { parentPort } from 'node:worker_threads'
import { expose } from 'comlink/dist/esm/comlink.mjs'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import type { IncMessage } from './inc-message.js'

if (parentPort === null) throw new Error('must run as a worker')

const api = {
  inc(message: IncMessage): number {
    return message.n + 1
  },
}
export type ComlinkIncApi = typeof api

expose(api, nodeEndpoint(parentPort))
// comlink ignores messages without a pending request id, so the ready signal can share the port.
parentPort.postMessage({ kind: 'ready' })
