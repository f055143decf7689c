import { describe, expect, it } from 'vitest'
import { WorkerCrashedError } from '../src/index.js'
import { resolveSystemOptions } from '@troupe/core/internal'
import { workerLaunch } from '../src/system/launch.js'
import { SystemRuntime } from '../src/system/system-runtime.js'
import { FIXTURE_ACTORS } from './helpers/system.js'

describe('WorkerHandle control calls', () => {
  it('keep no bookkeeping once answered, and reject at once when the worker dies', async () => {
    const options = resolveSystemOptions({ workers: 1, actors: FIXTURE_ACTORS })
    const runtime = new SystemRuntime(options)
    await runtime.startWorkers(workerLaunch(options))
    try {
      const worker = runtime.workers[0]!
      for (let i = 0; i < 200; i++) await worker.call((control) => control.stats())
      expect(worker.pendingCalls).toBe(0)

      const never = worker.call(() => new Promise<never>(() => undefined))
      expect(worker.pendingCalls).toBe(1)
      worker.kill('killed by the test')
      await expect(never).rejects.toBeInstanceOf(WorkerCrashedError)
      expect(worker.pendingCalls).toBe(0)
    } finally {
      await runtime.shutdown()
    }
  })
})
