import { it } from 'vitest'
import { TestKit } from 'troupe/testkit'
import { Stubborn } from '../src/testing-guide/scratch-tmp.js'
const actors = [new URL('../src/testing-guide/scratch-tmp.ts', import.meta.url)]
it('close and stop', async () => {
  const kit = await TestKit.start({ actors, workers: 1, manualTime: true, stopTimeoutMs: 1000 })
  const letters: unknown[] = []
  kit.system.deadLetters.subscribe((l) => letters.push(l))
  const probe = await kit.createProbe<string>()
  probe.close()
  probe.ref.tell('after close')
  await new Promise((r) => setTimeout(r, 300))
  console.log('DEAD LETTERS after close', letters.length, 'received', probe.received.length)
  const s = await kit.system.spawn(Stubborn, { placement: { worker: 0 } })
  await s.ask.ping()
  const t0 = performance.now()
  const stopped = kit.system.stop(s).then(() => 'stopped', (e) => String(e))
  const first = await Promise.race([stopped, new Promise((r) => setTimeout(() => r('still waiting after 3 s real'), 3000))])
  console.log('STOP', first)
  await kit.clock!.advance(1000)
  console.log('STOP after advance', await Promise.race([stopped, new Promise((r) => setTimeout(() => r('still waiting'), 2000))]), Math.round(performance.now() - t0))
  await kit.shutdown().catch((e) => console.log('shutdown', String(e)))
}, 60_000)
