import { describe, expect, it } from 'vitest'
import { Saboteur } from './fixtures/saboteur.js'
import { Watcher } from './fixtures/watcher.js'
import { fixture, startSystem } from './helpers/system.js'

const WATCH_ACTORS = [fixture('watcher.ts'), fixture('saboteur.ts')]

describe('death watch', () => {
  it('delivers Terminated across threads when a watched actor stops; unwatch cancels', async () => {
    const system = await startSystem({ actors: WATCH_ACTORS })
    const watcher = await system.spawn(Watcher, { placement: { worker: 0 } })
    const [a, b, c] = await Promise.all([1, 1, 'main' as const].map((p) => system.spawn(Saboteur, { placement: p === 'main' ? 'main' : { worker: p } })))
    await watcher.ask.watchIt(a!)
    await watcher.ask.watchIt(b!)
    await watcher.ask.watchIt(c!)
    await watcher.ask.unwatchIt(b!)
    await system.stop(a!)
    await system.stop(b!)
    await system.stop(c!)
    await expect.poll(() => watcher.ask.terminated()).toEqual([a!.id, c!.id])
  })

  it('watching an actor that is already gone signals at once', async () => {
    const system = await startSystem({ actors: WATCH_ACTORS })
    const watcher = await system.spawn(Watcher, { placement: 'main' })
    const gone = await system.spawn(Saboteur, { placement: { worker: 1 } })
    await system.stop(gone)
    await watcher.ask.watchIt(gone)
    await expect.poll(() => watcher.ask.terminated()).toEqual([gone.id])
  })

  it('a temporary actor lost with its worker is terminated; a restarted one is not', async () => {
    const system = await startSystem({ actors: WATCH_ACTORS })
    const watcher = await system.spawn(Watcher, { placement: { worker: 0 } })
    const temporary = await system.spawn(Saboteur, { placement: { worker: 1 }, restart: 'temporary' })
    const restarted = await system.spawn(Saboteur, { placement: { worker: 1 } })
    await watcher.ask.watchIt(temporary)
    await watcher.ask.watchIt(restarted)
    let restarts = 0
    system.events.subscribe((event) => void (event.type === 'actor-restarted' && restarts++))
    restarted.tell.exitProcess(1)
    await expect.poll(() => watcher.ask.terminated(), { timeout: 10_000 }).toEqual([temporary.id])
    await expect.poll(() => restarts, { timeout: 10_000 }).toBe(1)
    expect(await restarted.ask.count()).toBe(0)
    expect(await watcher.ask.terminated()).toEqual([temporary.id])
  })
})
