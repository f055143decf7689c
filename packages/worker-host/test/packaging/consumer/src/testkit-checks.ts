// troupe/testkit as a user's test uses it, from the installed package: a probe on real threads
// with manual time, and a seeded run replayed. Prints one line, the same compiled and under tsx.
import { exploreSeeds, ManualClock, SeedFailureError, TestKit, type TestProbe } from 'troupe/testkit'
import { Echo } from './actors/echo.js'
import { Ledger } from './actors/ledger.js'

const actors = [new URL('./actors/', import.meta.url)]

await using kit = await TestKit.start({ actors, threads: 2, manualTime: true })
const probe: TestProbe<string> = await kit.createProbe<string>()
probe.ref.tell('hello')
// @ts-expect-error: a probe of strings takes no number
probe.ref.tell(42)
const hello = await probe.expectMessage('hello')
const clock: ManualClock | undefined = kit.clock
await clock?.advance(1000)

const replays: number[] = []
const passed = await exploreSeeds({ actors, seeds: 3 }, async (sim) => {
  const ledger = await sim.system.spawn(Ledger, { placement: { worker: 1 } })
  const echo = await sim.system.spawn(Echo, { placement: { worker: 0 } })
  ledger.tell({ type: 'add', amount: 4 })
  replays.push(await ledger.ask({ type: 'total' }))
  await echo.ask.echo('x')
})
const failure = await exploreSeeds({ actors, seeds: [7] }, async () => {
  throw new Error('on purpose')
}).catch((error: unknown) => error)

console.log(JSON.stringify({ hello, now: clock?.now(), passed, replays, failed: failure instanceof SeedFailureError ? failure.seed : 'none' }))
