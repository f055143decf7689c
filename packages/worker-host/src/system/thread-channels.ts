import { MessagePort } from 'node:worker_threads'
import * as Comlink from 'comlink'
import type { Host } from '../host/host.js'
import type { ChannelEnd } from '../link/thread-channel.js'
import type { WorkerHandle } from './worker-handle.js'

export interface ThreadChannelsDeps {
  readonly mainHost: Host
  /** The live worker of `thread`. */
  worker(thread: number): WorkerHandle
  /** True once the system has stopped: no channel is made any more. */
  stopped(): boolean
  /** A new channel's two ends (see `SystemEngine.channel`). */
  channel(from: number, to: number): readonly [ChannelEnd, ChannelEnd]
}

/**
 * The direct data channels between threads: made once per pair, when one of them first sends
 * to the other, each end handed to its thread; forgotten when a worker dies, so its replacement
 * is connected afresh.
 */
export class ThreadChannels {
  readonly #deps: ThreadChannelsDeps
  readonly #connected = new Set<string>()

  constructor(deps: ThreadChannelsDeps) {
    this.#deps = deps
  }

  /** Sets up the direct channel between two threads, once, and hands each end its port. */
  connect(from: number, to: number): void {
    const key = from < to ? `${from}:${to}` : `${to}:${from}`
    if (this.#connected.has(key) || this.#deps.stopped()) return
    this.#connected.add(key)
    const [end1, end2] = this.#deps.channel(from, to)
    this.#attach(from, to, end1)
    this.#attach(to, from, end2)
  }

  /** A worker died: its channels went with it. */
  forget(thread: number): void {
    for (const key of [...this.#connected]) if (key.split(':').includes(String(thread))) this.#connected.delete(key)
  }

  #attach(thread: number, peer: number, end: ChannelEnd): void {
    if (thread === 0) {
      this.#deps.mainHost.attachLink(peer, end)
      return
    }
    this.#deps
      .worker(thread)
      .call((control) => control.attachPeer(peer, end instanceof MessagePort ? Comlink.transfer(end, [end]) : end))
      .catch(() => end.close())
  }
}
