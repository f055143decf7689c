// A process that sends many concurrent `add(1)` asks to entities on an LMDB store, and prints a
// line per acknowledged ask ("ack <key> <count after the add>") once its promise has resolved:
// the test kills it with SIGKILL mid-stream and checks every acknowledged add survived.
import { ActorSystem } from '../../src/index.js'
import { Tally } from '../fixtures/entities.js'

const path = process.argv[2]!
const keys = Number(process.argv[3] ?? 20)
const system = await ActorSystem.start({
  workers: 2,
  actors: [new URL('../fixtures/entities.ts', import.meta.url)],
  persistence: { store: 'lmdb', path, durability: 'process' },
})
process.stdout.write('ready\n')
const refs = Array.from({ length: keys }, (_, i) => system.entity(Tally, `k${i}`))
// Each key's adds go one after another (a count acknowledged for a key is that key's latest);
// the keys go concurrently, so commits of many entities share transactions.
await Promise.all(
  refs.map(async (ref, i) => {
    for (;;) {
      const count = await ref.ask.add(1)
      process.stdout.write(`ack k${i} ${count}\n`)
    }
  }),
)
