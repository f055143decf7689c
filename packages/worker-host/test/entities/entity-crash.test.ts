import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ActorSystem } from '../../src/index.js'
import { Tally } from '../fixtures/entities.js'
import { FIXTURE_ACTORS, afterTest } from '../helpers/system.js'
import { tempStoreDir } from '../helpers/store.js'


/**
 * Runs the writer program until it has acknowledged `acks` adds, kills it with SIGKILL, and
 * returns, per key, the highest count it acknowledged.
 */
function runAndKill(path: string, keys: number, acks: number): Promise<Map<string, number>> {
  const file = fileURLToPath(new URL('../programs/entity-writer.ts', import.meta.url))
  const child = spawn(process.execPath, ['--conditions=troupe-source', '--import', 'tsx', file, path, String(keys)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const acked = new Map<string, number>()
  let seen = 0
  let buffered = ''
  return new Promise((resolve, reject) => {
    // A guard against a program that never acknowledges, not a wait for a condition.
    const guard = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the writer acknowledged ${seen} adds, not ${acks}, within 60 s`))
    }, 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        const [kind, key, count] = line.split(' ')
        if (kind !== 'ack') continue
        acked.set(key!, Math.max(acked.get(key!) ?? 0, Number(count)))
        if (++seen === acks) child.kill('SIGKILL')
      }
    })
    child.on('exit', (_code, signal) => {
      clearTimeout(guard)
      if (signal === 'SIGKILL' && seen >= acks) resolve(acked)
      else reject(new Error(`the writer exited (${signal ?? 'no signal'}) after ${seen} acknowledged adds`))
    })
  })
}

describe('entity state after a process is killed', () => {
  it('every acknowledged commit is in the store after SIGKILL mid-stream, and the process that opens it again goes on from there', async () => {
    const path = tempStoreDir()
    const keys = 20
    const acked = await runAndKill(path, keys, 2000)
    const system = await ActorSystem.start({ workers: 2, actors: FIXTURE_ACTORS, persistence: { store: 'lmdb', path } })
    afterTest(() => system.shutdown())
    for (let i = 0; i < keys; i++) {
      const tally = system.entity(Tally, `k${i}`)
      const state = await tally.ask.get()
      const ackedCount = acked.get(`k${i}`) ?? 0
      // Acknowledged adds are all there; at most the one in flight when the process died is more.
      expect(state.count).toBeGreaterThanOrEqual(ackedCount)
      expect(state.count).toBeLessThanOrEqual(ackedCount + 1)
      expect(state.fired).toEqual([])
      expect(await tally.ask.add(1)).toBe(state.count + 1)
    }
  })
})
