import { Worker } from 'node:worker_threads'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Link } from '../src/link/link.js'
import { createThreadChannel, openThreadLink } from '../src/link/thread-channel.js'
import type { EchoCommand, EchoReport } from './fixtures/links/echo-worker.js'
import { startEchoPeer } from './fixtures/links/echo-peer.js'
import { fixture } from './helpers/system.js'
import { RemotePeers } from '../src/cluster/remote-peers.js'
import { startNatsServer, type NatsServer } from '../src/testkit/nats-server.js'
import { describeWithNats } from './helpers/nats.js'
import type { EchoPeer } from './fixtures/links/echo-peer.js'

/**
 * One suite, run against every `Link` implementation (and, for a thread link, with the far end
 * on this thread and in a real worker). The far end echoes each batch back (see
 * fixtures/links/echo-peer.ts), so what the near end gets back shows that batches travel
 * intact, in order, both ways.
 */

/** The far end, as the suite drives it (on this thread or in a worker). */
interface FarEnd {
  closeAfter(batches: number): void
  received(): Promise<number>
  /** Resolves when the far end saw the near end gone, with the batches it had received. */
  readonly gone: Promise<number>
  /** Ends the far end's thread abruptly, when it has one of its own. */
  readonly kill?: () => Promise<void>
}

interface LinkPair {
  near: Link
  far: FarEnd
}

type MakePair = () => Promise<LinkPair>

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined)
})

/** A batch of `size` bytes whose content says which batch it is (`index`). */
function batch(index: number, size = 64): Uint8Array {
  const bytes = new Uint8Array(size)
  new DataView(bytes.buffer).setUint32(0, index)
  for (let i = 4; i < size; i++) bytes[i] = (index * 31 + i) & 0xff
  return bytes
}

function isIntact(bytes: Uint8Array, index: number, size: number): boolean {
  if (bytes.byteLength !== size || new DataView(bytes.buffer, bytes.byteOffset).getUint32(0) !== index) return false
  for (let i = 4; i < size; i++) if (bytes[i] !== ((index * 31 + i) & 0xff)) return false
  return true
}

/** Opens the near end, recording what comes back. */
function openNear(near: Link): { batches: Uint8Array[]; gone: Promise<number>; arrived(count: number): Promise<void> } {
  const batches: Uint8Array[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  let markGone!: (received: number) => void
  const gone = new Promise<number>((resolve) => (markGone = resolve))
  near.open({
    batch(bytes) {
      batches.push(bytes)
      for (const waiter of waiters.filter((w) => batches.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    },
    slab() {
      throw new Error('the echo peer shares no slab')
    },
    peerGone: () => markGone(batches.length),
  })
  const arrived = (count: number): Promise<void> =>
    batches.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))
  return { batches, gone, arrived }
}

/**
 * `farThread`: whether the far end runs on a thread of its own, which the suite can terminate.
 * A pair without one does not get that case at all (rather than a skipped test).
 */
function linkConformance(name: string, makePair: MakePair, farThread: boolean, sharesMemory = true): void {
  describe(`link conformance: ${name}`, () => {
    it('delivers batches intact and in order, both ways', async () => {
      const { near } = await makePair()
      const echoes = openNear(near)
      for (let i = 0; i < 100; i++) near.send(batch(i, 16 + i))
      await echoes.arrived(100)
      expect(echoes.batches.every((bytes, i) => isIntact(bytes, i, 16 + i))).toBe(true)
    })

    it('poll, where the link has it, takes what arrived in order, now, and never twice', async () => {
      const { near } = await makePair()
      if (near.poll === undefined) return // a link that cannot be polled is only ever read by its listener
      const echoes = openNear(near)
      for (let i = 0; i < 50; i++) near.send(batch(i, 32))
      // Poll as SpinWait does: a poll hands at most one batch to the listener, synchronously. An
      // echo on this very thread needs the event loop to turn between empty polls; an echo from
      // a thread of its own arrives without it, so there the spin waits for it (on a loaded
      // machine the far thread may take long to answer, and a short spin would leave every batch
      // to the listener, proving nothing about poll).
      const spinMs = farThread ? 10_000 : 5
      let polled = 0
      while (echoes.batches.length < 50) {
        const spinUntil = performance.now() + spinMs
        let took = false
        while (!took && performance.now() < spinUntil) {
          const before = echoes.batches.length
          took = near.poll()
          expect(echoes.batches.length).toBe(before + (took ? 1 : 0))
        }
        if (took) polled++
        else await new Promise((resolve) => setImmediate(resolve))
      }
      expect(echoes.batches.map((bytes, i) => isIntact(bytes, i, 32))).toEqual(Array.from({ length: 50 }, () => true))
      expect(near.poll()).toBe(false)
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(echoes.batches).toHaveLength(50) // none delivered again by the event loop
      if (farThread) expect(polled).toBeGreaterThan(0)
    })

    it('carries large batches', async () => {
      const { near } = await makePair()
      const echoes = openNear(near)
      const size = 16 * 1024 * 1024
      near.send(batch(7, size))
      near.send(batch(8, 8))
      await echoes.arrived(2)
      expect(isIntact(echoes.batches[0]!, 7, size)).toBe(true)
      expect(isIntact(echoes.batches[1]!, 8, 8)).toBe(true)
    })

    it('carries many batches in order', async () => {
      const { near } = await makePair()
      const echoes = openNear(near)
      const count = 20_000
      for (let i = 0; i < count; i++) near.send(batch(i, 8))
      await echoes.arrived(count)
      expect(echoes.batches.findIndex((bytes, i) => !isIntact(bytes, i, 8))).toBe(-1)
    })

    // Between threads the buffer moves (detached at the sender); to another node it is handed to
    // the NATS client as it is (see Link.send), and must arrive whole all the same.
    it(sharesMemory ? "transfers a batch's buffer: the sender's is detached" : "hands a batch's buffer to the client as it is: it arrives whole", async () => {
      const { near } = await makePair()
      const echoes = openNear(near)
      const bytes = batch(1, 1024)
      near.send(bytes)
      expect(bytes.byteLength).toBe(sharesMemory ? 0 : 1024)
      expect(bytes.buffer.byteLength).toBe(sharesMemory ? 0 : 1024)
      await echoes.arrived(1)
      expect(isIntact(echoes.batches[0]!, 1, 1024)).toBe(true)
    })

    // A link between processes shares no memory (its peers keep no ledger): registered where it applies.
    if (sharesMemory) it('shares a slab ahead of the batches sent after it', async () => {
      const { near } = await makePair()
      const echoes = openNear(near)
      const buffer = new SharedArrayBuffer(16)
      near.share({ slab: 5, buffer })
      near.send(batch(0))
      await echoes.arrived(1)
      // The far end wrote into the slab when it got it, before it echoed the batch.
      expect(new Uint8Array(buffer)[0]).toBe(5)
    })

    it('closing the near end reports the near end gone to the far end, after what was sent', async () => {
      const { near, far } = await makePair()
      openNear(near)
      for (let i = 0; i < 10; i++) near.send(batch(i))
      near.close()
      expect(await far.gone).toBe(10)
    })

    it('closing the far end reports the peer gone to the near end, after what it sent', async () => {
      const { near, far } = await makePair()
      const echoes = openNear(near)
      for (let i = 0; i < 10; i++) near.send(batch(i))
      far.closeAfter(10)
      expect(await echoes.gone).toBe(10)
      expect(echoes.batches.every((bytes, i) => isIntact(bytes, i, 64))).toBe(true)
    })

    it('drops sends after this end is closed, without an error', async () => {
      const { near, far } = await makePair()
      openNear(near)
      near.send(batch(0))
      near.close()
      expect(await far.gone).toBe(1)
      expect(() => near.send(batch(1))).not.toThrow()
      expect(() => near.share({ slab: 1, buffer: new SharedArrayBuffer(8) })).not.toThrow()
      expect(() => near.close()).not.toThrow()
      expect(await far.received()).toBe(1)
    })

    it('drops sends after the peer is gone, without an error', async () => {
      const { near, far } = await makePair()
      const echoes = openNear(near)
      near.send(batch(0))
      far.closeAfter(1)
      expect(await echoes.gone).toBe(1)
      expect(() => near.send(batch(1))).not.toThrow()
      expect(() => near.share({ slab: 1, buffer: new SharedArrayBuffer(8) })).not.toThrow()
      expect(await far.received()).toBe(1)
      expect(echoes.batches).toHaveLength(1)
    })

    // Registered only where it applies, so no pair reports a skipped case.
    if (farThread) it('reports a peer whose thread is terminated', async () => {
      const { near, far } = await makePair()
      if (far.kill === undefined) throw new Error(`${name}: the far end has no thread to terminate`)
      const echoes = openNear(near)
      near.send(batch(0))
      await echoes.arrived(1)
      await far.kill()
      expect(await echoes.gone).toBe(1)
      expect(() => near.send(batch(1))).not.toThrow()
    })
  })
}

/** Both ends on this thread. */
async function sameThreadPair(): Promise<LinkPair> {
  const channel = createThreadChannel()
  const near = openThreadLink(channel.port1)
  let markGone!: (received: number) => void
  const gone = new Promise<number>((resolve) => (markGone = resolve))
  const farLink = openThreadLink(channel.port2)
  const peer = startEchoPeer(farLink, { gone: markGone })
  cleanups.push(async () => {
    near.close()
    farLink.close()
  })
  return {
    near,
    far: {
      closeAfter: (batches) => peer.closeAfter(batches),
      received: () => Promise.resolve(peer.received),
      gone,
    },
  }
}

/** The far end in a worker thread of its own (test/fixtures/links/echo-worker.ts). */
async function workerPair(): Promise<LinkPair> {
  const channel = createThreadChannel()
  const near = openThreadLink(channel.port1)
  // Started the way troupe starts its workers (bootstrap.mjs registers tsx for the TypeScript fixture).
  const worker = new Worker(new URL('../src/worker/bootstrap.mjs', import.meta.url), {
    workerData: { troupe: { entry: fixture('links/echo-worker.ts').href, useTsx: true }, echoPeer: { end: channel.port2 } },
    transferList: [channel.port2],
    execArgv: ['--conditions=troupe-source'],
  })
  cleanups.push(async () => {
    near.close()
    await worker.terminate()
  })
  let markGone!: (received: number) => void
  const gone = new Promise<number>((resolve) => (markGone = resolve))
  const counts: ((received: number) => void)[] = []
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', (report: EchoReport) => {
      if (report.event === 'ready') resolve()
      else if (report.event === 'gone') markGone(report.received)
      else counts.shift()?.(report.received)
    })
  })
  await ready
  const command = (message: EchoCommand): void => worker.postMessage(message)
  return {
    near,
    far: {
      closeAfter: (batches) => command({ op: 'closeAfter', batches }),
      received: () =>
        new Promise((resolve) => {
          counts.push(resolve)
          command({ op: 'received' })
        }),
      gone,
      kill: async () => {
        await worker.terminate()
      },
    },
  }
}

linkConformance('MessagePortLink, both ends on one thread', sameThreadPair, false)
linkConformance('MessagePortLink, far end in a worker', workerPair, true)

/**
 * Two nodes' threads over a real nats-server, each with its own connection (`RemotePeers`, as a
 * host uses them): the far end's link is made when the first batch arrives, as a host makes it.
 */
let natsUrl: string | undefined
let nextNode = 1
async function natsPair(): Promise<LinkPair> {
  const transport = (node: number) => ({ servers: [natsUrl!], name: 'conformance', node, connectTimeoutMs: 5000, nodeName: `n${node}` })
  const nearNode = nextNode++
  const farNode = nextNode++
  let markGone!: (received: number) => void
  const gone = new Promise<number>((resolve) => (markGone = resolve))
  let peer: EchoPeer | undefined
  let peerStarted!: () => void
  const started = new Promise<void>((resolve) => (peerStarted = resolve))
  const far: RemotePeers = new RemotePeers(transport(farNode), 0, (key) => {
    peer = startEchoPeer(far.link(key), { gone: markGone })
    peerStarted()
  })
  const nearPeers = new RemotePeers(transport(nearNode), 0, () => undefined)
  await Promise.all([far.ready, nearPeers.ready])
  const near = nearPeers.link(nearPeers.key(farNode, 0)!)
  cleanups.push(async () => {
    near.close()
    await Promise.all([nearPeers.close(), far.close()])
  })
  return {
    near,
    far: {
      closeAfter: (batches) => void started.then(() => peer!.closeAfter(batches)),
      received: async () => {
        await started
        return peer!.received
      },
      gone,
    },
  }
}

describeWithNats('NatsLink over a real nats-server', () => {
  let server: NatsServer | undefined
  beforeAll(async () => {
    server = await startNatsServer({ jetstream: false })
    natsUrl = server.url
  })
  afterAll(() => server?.stop())
  linkConformance('NatsLink, two nodes over NATS', natsPair, false, false)
})

it('MessagePortLink: a worker terminated while batches are in flight is reported', async () => {
  const { near, far } = await workerPair()
  const echoes = openNear(near)
  for (let i = 0; i < 1000; i++) near.send(batch(i, 4096))
  const exited = far.kill!()
  await Promise.all([exited, echoes.gone])
  expect(echoes.batches.length).toBeLessThanOrEqual(1000)
})
