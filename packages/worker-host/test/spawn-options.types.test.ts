import { describe, expectTypeOf, it } from 'vitest'
import type { AskErrorPolicy, ReentrancyMode, SpawnOptions } from '../src/index.js'

describe('askErrors and reentrancy spawn options', () => {
  it('take their documented values only', () => {
    expectTypeOf<AskErrorPolicy>().toEqualTypeOf<'reply' | 'fail'>()
    expectTypeOf<ReentrancyMode>().toEqualTypeOf<'none' | 'call-chain' | 'interleave'>()
    expectTypeOf<SpawnOptions['askErrors']>().toEqualTypeOf<AskErrorPolicy | undefined>()
    expectTypeOf<SpawnOptions['reentrancy']>().toEqualTypeOf<ReentrancyMode | undefined>()
    const ok: SpawnOptions = { askErrors: 'fail', reentrancy: 'call-chain' }
    void ok
    // @ts-expect-error not a policy
    const badPolicy: SpawnOptions = { askErrors: 'resume' }
    // @ts-expect-error not a mode
    const badMode: SpawnOptions = { reentrancy: true }
    void badPolicy
    void badMode
  })
})
