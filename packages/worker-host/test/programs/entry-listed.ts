// A program that allow-lists its own entry module. Run as its own process by bad-input.test.ts.
import { Actor, ActorSystem } from '../../src/index.js'

export class Greeter extends Actor {
  hi(): string {
    return 'hi'
  }
}

try {
  const system = await ActorSystem.start({ workers: 1, actors: [new URL(import.meta.url)] })
  await system.shutdown()
  console.log(JSON.stringify({ started: true }))
} catch (error) {
  console.log(JSON.stringify({ name: (error as Error).name, code: (error as { code?: string }).code, message: (error as Error).message }))
}
