import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../src/index.js'
import { backoffDelay, decide, resolveSupervision, RestartIntensity } from '../src/internal.js'

/** OTP's rule, stated directly: a restart is allowed while fewer than maxR accepted restarts lie within the last maxT. */
function referenceModel(maxRestarts: number, withinMs: number, times: number[]): boolean[] {
  const accepted: number[] = []
  return times.map((now) => {
    const recent = accepted.filter((at) => at > now - withinMs).length
    if (recent >= maxRestarts) return false
    accepted.push(now)
    return true
  })
}

describe('RestartIntensity', () => {
  it('agrees with the reference model of OTP’s intensity rule on any schedule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 60 }),
        (maxRestarts, withinMs, gaps) => {
          let now = 0
          const times = gaps.map((gap) => (now += gap))
          const intensity = new RestartIntensity(maxRestarts, withinMs)
          expect(times.map((t) => intensity.tryRestart(t))).toEqual(referenceModel(maxRestarts, withinMs, times))
        },
      ),
    )
  })

  it('maxRestarts 0 refuses every restart; old restarts leave the window', () => {
    expect(new RestartIntensity(0, 1000).tryRestart(0)).toBe(false)
    const intensity = new RestartIntensity(2, 1000)
    expect([intensity.tryRestart(0), intensity.tryRestart(10), intensity.tryRestart(20)]).toEqual([true, true, false])
    expect(intensity.tryRestart(1000)).toBe(true) // the restart at 0 is out of the window
    expect(intensity.countAt(1000)).toBe(2)
  })
})

describe('backoff', () => {
  const backoff = { minMs: 100, maxMs: 1_000, jitter: 0.5, resetAfterMs: 1_000 }
  it('doubles from minMs, caps at maxMs, and spreads by ±jitter', () => {
    const noJitter = { ...backoff, jitter: 0 }
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(noJitter, attempt))).toEqual([100, 200, 400, 800, 1000, 1000])
    expect(backoffDelay(backoff, 1, () => 0)).toBe(100) // 200 × 0.5
    expect(backoffDelay(backoff, 1, () => 1)).toBe(300) // 200 × 1.5
    expect(backoffDelay(backoff, 4, () => 1)).toBe(1000) // never above maxMs
  })
})

describe('supervision options', () => {
  it('defaults to one-for-one, 3 restarts in 5 s, restart on any error', () => {
    expect(resolveSupervision(undefined)).toEqual({ strategy: 'one-for-one', maxRestarts: 3, withinMs: 5000, backoff: undefined, decider: { default: 'restart' } })
  })

  it.each([
    [{ strategy: 'all-for-one' }, /supervision\.strategy/],
    [{ maxRestarts: -1 }, /supervision\.maxRestarts/],
    [{ withinMs: 0 }, /supervision\.withinMs/],
    [{ backoff: { minMs: 500, maxMs: 100 } }, /supervision\.backoff\.maxMs/],
    [{ backoff: { minMs: 1, maxMs: 2, jitter: 2 } }, /supervision\.backoff\.jitter/],
    [{ decider: { E_X: 'reboot' } }, /supervision\.decider\.E_X/],
  ])('rejects %j with the option named', (options, message) => {
    expect(() => resolveSupervision(options)).toThrow(InvalidOptionError)
    expect(() => resolveSupervision(options)).toThrow(message)
  })

  it('the decider matches code before name before default', () => {
    const decider = { default: 'restart', E_A: 'stop', TypeError: 'resume' } as const
    expect(decide(decider, Object.assign(new TypeError('x'), { code: 'E_A' }))).toBe('stop')
    expect(decide(decider, new TypeError('x'))).toBe('resume')
    expect(decide(decider, new Error('x'))).toBe('restart')
  })
})
