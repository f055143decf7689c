// baseline.nats.request.latency.p50: raw NATS request-reply between two connections to a local
// nats-server, one request in flight. What a troupe cluster's asks between two nodes
// (cluster.ask.latency.p50) are divided by in P26, the cluster work's P16.
import { unpack } from 'msgpackr'
import type { Msg, NatsConnection } from '@nats-io/transport-node'
import type { BenchmarkDefinition } from '../harness.js'
import { percentile } from '../stats.js'
import { incMessage } from './inc-message.js'
import type { IncMessage } from './inc-message.js'
import { encodeOwned } from './msgpack-wire.js'
import { natsServerMissing, withConnections, withNatsServer } from './nats.js'
import { roundTripsUs } from './pipeline.js'
import { withTimeout } from './piscina.js'

const subject = 'bench.inc'
/** A lost reply fails the run quickly instead of at the pass's 60 s timeout. */
const requestTimeoutMs = 5000

/**
 * The responder: decodes each request and answers n + 1, msgpack-encoded, on its reply subject.
 * A request it cannot decode gets no answer, so the requester's timeout fails the run.
 */
function respondInc(responder: NatsConnection): { unsubscribe(): void } {
  return responder.subscribe(subject, {
    callback: (error: Error | null, msg: Msg) => {
      if (error) return
      // Trusted peer: a cast instead of validation, as in the port baselines.
      const request = unpack(msg.data) as IncMessage
      msg.respond(encodeOwned(request.n + 1))
    },
  })
}

/** One `nc.request` of inc(n) (nats.js's shared reply inbox); resolves to the decoded answer. */
async function requestInc(requester: NatsConnection, n: number): Promise<number> {
  const reply = await requester.request(subject, encodeOwned(incMessage(n)), { timeout: requestTimeoutMs })
  return unpack(reply.data) as number
}

async function natsRequestRun(quick: boolean): Promise<number> {
  const calls = quick ? 1000 : 2000
  return withNatsServer(false, (url) =>
    withConnections(url, ['bench-requester', 'bench-responder'], async ([requester, responder]) => {
      if (!requester || !responder) throw new Error('connections missing')
      const subscription = respondInc(responder)
      try {
        // The responder's subscription is registered at the server before the first request.
        await responder.flush()
        const inc = (n: number): Promise<number> => requestInc(requester, n)
        // roundTripsUs checks every answer is n + 1. Untimed half first, as the port baseline does.
        await withTimeout(roundTripsUs(calls / 2, inc), 'warm-up pass')
        return percentile(await withTimeout(roundTripsUs(calls, inc), 'timed pass'), 0.5)
      } finally {
        subscription.unsubscribe()
      }
    }),
  )
}

export const natsRequestLatencyP50: BenchmarkDefinition = {
  id: 'baseline.nats.request.latency.p50',
  unit: 'us',
  requires: natsServerMissing,
  run: natsRequestRun,
}
