import { defineWorkload, type ActorRef } from 'troupe'
import { Echo } from './actors/echo.js'

/** A small workload for `troupe bench`: one echo actor per worker, asked in parallel. */
export default defineWorkload({
  name: 'echo',
  unit: 'ask',
  actors: [new URL('./actors/', import.meta.url)],
  async setup({ system, workers }): Promise<ActorRef<Echo>[]> {
    return Promise.all(Array.from({ length: workers }, (_, worker) => system.spawn(Echo, { placement: { worker } })))
  },
  async run(echoes) {
    const answers = await Promise.all(echoes.flatMap((echo) => Array.from({ length: 2000 }, (_, i) => echo.ask.echo(`m${i}`))))
    return answers.length
  },
  check(echoes, operations) {
    return operations === echoes.length * 2000
  },
})
