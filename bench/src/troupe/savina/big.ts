// savina.big: W actors spread over every worker, each sending N pings to random peers, one outstanding at a time.
import type { ActorRef, ActorSystem } from 'troupe'
import type { BenchmarkDefinition } from '../../harness.js'
import { check, withSystem } from '../system.js'
import { actorModule, pick, savinaWorkers, secondsSince } from './common.js'
import { BigActor, BigSink } from './big-actors.js'

const id = 'savina.big'
/** Savina's W = 120 actors, N = 20 000 pings each. */
const shape = { full: { actors: 120, pings: 20_000 }, quick: { actors: 120, pings: 2_000 } }

async function pass(system: ActorSystem, actors: number, pings: number): Promise<number> {
  const sink = await system.spawn(BigSink, { placement: { worker: 0 } })
  await sink.ask.arm(actors)
  const peers: ActorRef<BigActor>[] = []
  for (let i = 0; i < actors; i++) peers.push(await system.spawn(BigActor, { args: [i, pings, sink], placement: 'round-robin' }))
  await Promise.all(peers.map((peer) => peer.ask.meet(peers)))
  const started = performance.now()
  const done = sink.ask.done()
  for (const peer of peers) peer.tell.start()
  const exits = await done
  const seconds = secondsSince(started)
  check(`${id} actors done`, exits, actors)
  const tallies = await Promise.all(peers.map((peer) => peer.ask.tally()))
  let pingsReceived = 0
  tallies.forEach((tally, i) => {
    check(`${id} pings sent by actor ${i}`, tally.pingsSent, pings)
    check(`${id} pongs received by actor ${i}`, tally.pongsReceived, pings)
    pingsReceived += tally.pingsReceived
  })
  check(`${id} pings received in all`, pingsReceived, actors * pings)
  return seconds
}

export const savinaBig: BenchmarkDefinition = {
  id,
  unit: 's',
  run: (quick) => {
    const { actors, pings } = pick(quick, shape)
    return withSystem(
      savinaWorkers,
      id,
      async (system) => {
        await pass(system, actors, Math.ceil(pings / 4))
        return pass(system, actors, pings)
      },
      { actors: [actorModule('big')] },
    )
  },
}
