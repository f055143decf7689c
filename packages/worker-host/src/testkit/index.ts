// troupe/testkit: probes, manual time, a deterministic seeded mode and fault injection for tests
// of actors. See docs/testing.md.
export { TestKit } from './test-kit.js'
export type { DeterministicOptions, TestKitOptions } from './test-kit.js'
export { TestProbe, DEFAULT_WITHIN_MS } from './probe/test-probe.js'
export type { MessageMatcher, WithinOptions } from './probe/test-probe.js'
export type { ProbeActor } from './probe/probe-actor.js'
export { ManualClock } from '../clock/manual-clock.js'
export { exploreSeeds } from './explore-seeds.js'
export type { ExploreOptions } from './explore-seeds.js'
export { SeedFailureError, SimulationBusyError } from './errors.js'
export { startNatsServer, findNatsServer, freePort } from './nats-server.js'
export type { NatsServer, NatsServerOptions } from './nats-server.js'
