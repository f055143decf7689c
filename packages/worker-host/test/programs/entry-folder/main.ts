// A program whose allow-listed folder holds its own entry module, which defines an actor class.
// Run as its own process by bad-input.test.ts; prints one JSON line: how each spawn ended.
import { Actor, ActorSystem, actorType } from '../../../src/index.js'
import { Greeter } from './greeter.js'

export class EntryGreeter extends Actor {
  hi(): string {
    return 'hi'
  }
}

const entry = new URL(import.meta.url)
const system = await ActorSystem.start({ workers: 1, actors: [new URL('./', import.meta.url)], spawnTimeoutMs: 20_000 })
const outcome = async (spawn: () => Promise<{ ask: { hi(): Promise<string> } }>): Promise<unknown> => {
  try {
    return { answered: await (await spawn()).ask.hi() }
  } catch (error) {
    return { name: (error as Error).name, code: (error as { code?: string }).code, message: (error as Error).message }
  }
}
const results = {
  byClass: await outcome(() => system.spawn(EntryGreeter)),
  onWorker: await outcome(() => system.spawn(actorType<typeof EntryGreeter>(entry, 'EntryGreeter'), { placement: { worker: 0 } })),
  onMain: await outcome(() => system.spawn(actorType<typeof EntryGreeter>(entry, 'EntryGreeter'), { placement: 'main' })),
  asJs: await outcome(() => system.spawn(actorType<typeof EntryGreeter>(new URL('./main.js', import.meta.url), 'EntryGreeter'))),
  ownModule: await outcome(() => system.spawn(Greeter)),
}
await system.shutdown()
console.log(JSON.stringify(results))
