import { Actor, type UntypedActorRef } from '@troupe/core'

/** Where a probe's messages go on the main thread: the test's `TestProbe`, by probe id. */
export type ProbeSink = (message: unknown, sender: UntypedActorRef | undefined) => void

/**
 * Registered on `globalThis`, not in this module: the test imports the test kit, and the main
 * thread's host imports this module by URL to spawn the probe; under a test runner's module
 * graph these can be two instances of the module, and both must find the same sinks.
 */
const SINKS = Symbol.for('troupe.testkit.probe-sinks')

export function probeSinks(): Map<number, ProbeSink> {
  const global = globalThis as { [SINKS]?: Map<number, ProbeSink> }
  return (global[SINKS] ??= new Map())
}

/**
 * The actor behind a `TestProbe`: always on the main thread, where the test runs. It takes any
 * message of type `M` (`probe.ref.tell(message)`, or an ask, answered with `undefined`) and hands
 * it to its probe, with its sender.
 */
export class ProbeActor<M = unknown> extends Actor {
  readonly #probe: number

  constructor(probe: number) {
    super()
    this.#probe = probe
  }

  receive(message: M): void {
    probeSinks().get(this.#probe)?.(message, this.ctx.sender)
  }
}
