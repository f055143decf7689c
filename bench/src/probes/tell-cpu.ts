// A probe for A/B work on the tell path: a worker-to-worker stream of 10^6 tells per round with
// credit-based pacing (as tell.cross-thread), printing throughput and the process's CPU time per
// message. CPU per message moves far less with the machine's noise than throughput does (both
// threads' work counts, whoever waits), so two builds compare with fewer pairs:
//   node bench/dist/probes/tell-cpu.js   (in each build, alternately)
// Not part of the suite: it asserts nothing and writes no results file.
import { ActorSystem } from 'troupe'
import { CreditSender, Receiver } from '../troupe/actors.js'
import { BENCH_ACTORS } from '../troupe/system.js'

const rounds = 10
const warmupRounds = 2
const count = 1_000_000

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const system = await ActorSystem.start({ workers: 2, actors: [BENCH_ACTORS] })
try {
  const sender = await system.spawn(CreditSender, { placement: { worker: 0 } })
  const receiver = await system.spawn(Receiver, { placement: { worker: 1 } })
  const rates: number[] = []
  const cpuNs: number[] = []
  for (let round = 0; round < rounds; round++) {
    await receiver.ask.arm(count)
    const cpu = process.cpuUsage()
    const started = performance.now()
    const done = receiver.ask.done()
    sender.tell.start(receiver, count, 1000, 8)
    const tally = await done
    const seconds = (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    if (tally.count !== count) throw new Error(`received ${tally.count} of ${count}`)
    if (round < warmupRounds) continue
    rates.push(count / seconds)
    cpuNs.push(((used.user + used.system) * 1000) / count)
  }
  const spread = (values: number[], digits: number): string => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`
  console.log(`tell stream: ${(median(rates) / 1e6).toFixed(2)} M msg/s (${spread(rates.map((r) => r / 1e6), 2)}), CPU ${median(cpuNs).toFixed(0)} ns per message (${spread(cpuNs, 0)}), median of ${rounds - warmupRounds} rounds`)
} finally {
  await system.shutdown()
}
