import { describe, expect, it } from 'vitest'
import { ActorSystem, InvalidOptionError, type ActorSystemOptions } from '../src/index.js'
import { FIXTURE_ACTORS } from './helpers/system.js'

const cases: [string, Partial<ActorSystemOptions> | undefined, RegExp][] = [
  ['no options', undefined, /option "options" must be an object/],
  ['actors missing', { actors: undefined as never }, /option "actors" must be an array/],
  ['actors entry not a URL', { actors: ['./relative.js'] }, /option "actors\[0\]" must be an absolute module URL/],
  ['actors entry of wrong type', { actors: [42 as never] }, /option "actors\[0\]"/],
  ['workers zero', { workers: 0 }, /option "workers" must be 'auto' or an integer from 1 to 1024; received 0/],
  ['workers fractional', { workers: 1.5 }, /option "workers"/],
  ['workers string', { workers: 'many' as never }, /option "workers".*received "many"/],
  ['askTimeoutMs negative', { askTimeoutMs: -5 }, /option "askTimeoutMs"/],
  ['stopTimeoutMs zero', { stopTimeoutMs: 0 }, /option "stopTimeoutMs"/],
  ['maxMessageBytes huge', { maxMessageBytes: 2 ** 40 }, /option "maxMessageBytes"/],
  ['throughput NaN', { throughput: Number.NaN }, /option "throughput"/],
  ['loadReportIntervalMs string', { loadReportIntervalMs: '100' as never }, /option "loadReportIntervalMs"/],
  ['typescript invalid', { typescript: 'yes' as never }, /option "typescript"/],
  ['execArgv not strings', { execArgv: [1] as never }, /option "execArgv" must be an array of strings/],
  ['supervision strategy', { supervision: { strategy: 'one-for-some' as never } }, /option "supervision\.strategy"/],
  ['supervision backoff', { supervision: { backoff: { minMs: 10, maxMs: 5 } } }, /option "supervision\.backoff\.maxMs"/],
  ['heartbeat interval zero', { heartbeatIntervalMs: 0 }, /option "heartbeatIntervalMs"/],
  ['heartbeat timeout not above interval', { heartbeatIntervalMs: 500, heartbeatTimeoutMs: 400 }, /option "heartbeatTimeoutMs" must be greater than heartbeatIntervalMs \(500\)/],
  ['busyWaitUs negative', { busyWaitUs: -1 }, /option "busyWaitUs" must be an integer of microseconds from 0 to 10000/],
  ['busyWaitUs fractional', { busyWaitUs: 0.5 }, /option "busyWaitUs"/],
  ['resourceLimits negative', { resourceLimits: { maxOldGenerationSizeMb: -1 } }, /option "resourceLimits\.maxOldGenerationSizeMb"/],
]

describe('ActorSystem.start option validation', () => {
  it.each(cases)('%s', async (_name, overrides, message) => {
    const options = overrides === undefined ? undefined : { actors: FIXTURE_ACTORS, ...overrides }
    const error = await ActorSystem.start(options as ActorSystemOptions).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidOptionError)
    expect((error as Error).message).toMatch(message)
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION' })
  })
})
