import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import { isSlabRegistration, type SlabRegistration } from '../transport/ledger.js'
import type { Link, LinkListener } from './link.js'

/**
 * A link over one end of a `MessageChannel` (two threads of this process). Batches travel as
 * `Uint8Array`s whose ArrayBuffer is transferred; a ledger slab travels as a plain message on the
 * same port, so the port's ordering puts it before the batches that use it.
 */
export class MessagePortLink implements Link {
  readonly #port: MessagePort
  #listener: LinkListener | undefined
  /** This end was closed, or the peer's: nothing is sent any more. */
  #done = false

  constructor(port: MessagePort) {
    this.#port = port
  }

  open(listener: LinkListener): void {
    this.#listener = listener
    this.#port.on('message', this.#received)
    // A port emits 'close' when either end closes, and when the thread holding the other end ends.
    this.#port.once('close', this.#closed)
  }

  send(bytes: Uint8Array): void {
    if (this.#done) return
    this.#port.postMessage(bytes, [bytes.buffer as ArrayBuffer])
  }

  share(registration: SlabRegistration): void {
    if (this.#done) return
    this.#port.postMessage({ slab: registration.slab, buffer: registration.buffer } satisfies SlabRegistration)
  }

  poll(): boolean {
    if (this.#done || this.#listener === undefined) return false
    const received = receiveMessageOnPort(this.#port)
    if (received === undefined) return false
    this.#received(received.message)
    return true
  }

  close(): void {
    if (this.#done) return
    this.#done = true
    this.#port.close()
  }

  readonly #received = (data: unknown): void => {
    if (data instanceof Uint8Array) this.#listener!.batch(data)
    else if (isSlabRegistration(data)) this.#listener!.slab(data)
  }

  readonly #closed = (): void => {
    // Closed from this end: the peer is not what went away.
    if (this.#done) return
    this.#done = true
    this.#listener?.peerGone()
  }
}
