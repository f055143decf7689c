import { describe, expect, it } from 'vitest'
import { ActorNotAllowedError, AskTimeoutError, SpawnError, TroupeError, WorkerCrashedError, registerErrorClass } from '../src/index.js'
import { fromWireError, toWireError } from '../src/internal.js'

const roundTrip = (error: unknown): Error => fromWireError(structuredClone(toWireError(error)))

describe('errors across threads', () => {
  it('troupe errors come back as their own class with code and fields', () => {
    const back = roundTrip(new AskTimeoutError('actor#7', 'get', 250))
    expect(back).toBeInstanceOf(AskTimeoutError)
    expect(back).toBeInstanceOf(TroupeError)
    expect(back).toMatchObject({ code: 'ERR_ASK_TIMEOUT', actor: 'actor#7', selector: 'get', timeoutMs: 250, name: 'AskTimeoutError' })
    const notAllowed = roundTrip(new ActorNotAllowedError('file:///x.js', 'X'))
    expect(notAllowed).toBeInstanceOf(ActorNotAllowedError)
    expect(notAllowed).toBeInstanceOf(SpawnError)
    expect(roundTrip(new WorkerCrashedError(3, 'exit code 1'))).toMatchObject({ thread: 3, code: 'ERR_WORKER_CRASHED' })
  })

  it('built-in errors keep their class; user errors keep name, code, stack and cause chain', () => {
    expect(roundTrip(new TypeError('t'))).toBeInstanceOf(TypeError)
    const cause = new RangeError('inner')
    const error = Object.assign(new Error('outer', { cause }), { code: 'E_APP', retryable: true, details: { nested: 1 } })
    error.name = 'PaymentError'
    const back = roundTrip(error) as Error & { code?: string; retryable?: boolean; details?: unknown }
    expect(back.name).toBe('PaymentError')
    expect(back.message).toBe('outer')
    expect(back.code).toBe('E_APP')
    expect(back.retryable).toBe(true)
    expect(back.details).toBeUndefined() // only primitive fields travel
    expect(back.stack).toBe(error.stack)
    expect(back.cause).toBeInstanceOf(RangeError)
    expect((back.cause as Error).message).toBe('inner')
  })

  it('non-errors thrown are carried as their string form', () => {
    expect(roundTrip('plain string').message).toBe('plain string')
    expect(roundTrip(42).message).toBe('42')
  })

  it('registered application classes come back as their class', () => {
    class Overdrawn extends Error {
      constructor(readonly account: string) {
        super(`account ${account} is overdrawn`)
      }
    }
    class Unregistered extends Error {}
    registerErrorClass(Overdrawn)
    const back = fromWireError(toWireError(new Overdrawn('acc-7')))
    expect(back).toBeInstanceOf(Overdrawn)
    expect(back).toMatchObject({ message: 'account acc-7 is overdrawn', account: 'acc-7' })
    expect(fromWireError(toWireError(new Unregistered('x')))).not.toBeInstanceOf(Unregistered)
    expect(() => registerErrorClass(Object as never)).toThrow(/option "errorClass"/)
    const impostor = class Overdrawn extends Error {}
    expect(() => registerErrorClass(impostor)).toThrow(/already registered/)
    registerErrorClass(Overdrawn) // the same class again is fine
  })
})
