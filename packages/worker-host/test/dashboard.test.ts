import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError, SystemShutdownError, type DashboardHandle, type DashboardOptions } from '../src/index.js'
import { Parent, EventLog } from './fixtures/actors.js'
import { Busy } from './fixtures/busy.js'
import { Counter } from './fixtures/counter.js'
import { errorOf, fixture, FIXTURE_ACTORS, startSystem } from './helpers/system.js'
import { ActorIds } from '../src/host/actor-ids.js'
import { Directory, type ActorBlueprint } from '../src/system/directory.js'
import { buildTree } from '../src/dashboard/supervision-tree.js'
import type { TreeNode } from '../src/dashboard/feed-types.js'
import type { ResolvedSupervision } from '@troupe/core/internal'

interface Row {
  thread: number
  types?: { type: string; actors: number; mailboxDepth: number; processed: number }[]
  largestMailboxes?: { id: number; name?: string; type: string; depth: number }[]
  status: string
  generation: number
  crashes: number
  actors?: number
  processed?: number
  utilization: number | null
  throughput: number | null
}
interface Node {
  id: number
  name?: string
  type?: string
  thread?: number
  local: boolean
  children: Node[]
  hiddenChildren: number
}
interface Sample {
  at: number
  threads: Row[]
  deadLetters: { total: number; byReason: Record<string, number> }
  tree: { roots: Node[]; recorded: number; shown: number }
}
interface ShownEvent {
  type: string
  severity: string
  thread?: number
  actor?: number
  text: string
}

/** A raw HTTP GET (fetch cannot send another Host header), answered with status, headers and body. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function state(dashboard: DashboardHandle): Promise<{ sample: Sample; events: ShownEvent[] }> {
  const response = await fetch(new URL('state.json', dashboard.url))
  expect(response.status).toBe(200)
  return (await response.json()) as { sample: Sample; events: ShownEvent[] }
}

/** An open `/events` stream: its messages as they arrive, parsed. */
class Stream {
  readonly messages: { event: string; data: unknown }[] = []
  ended = false
  readonly #controller = new AbortController()
  readonly done: Promise<void>

  constructor(url: string) {
    this.done = this.#read(url)
  }

  async #read(url: string): Promise<void> {
    try {
      const response = await fetch(url, { signal: this.#controller.signal })
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
      const decoder = new TextDecoder()
      let buffer = ''
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, end).split('\n')
          buffer = buffer.slice(end + 2)
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7)
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6)
          if (event && data) this.messages.push({ event, data: JSON.parse(data) })
        }
      }
    } catch (error) {
      if (!this.#controller.signal.aborted) throw error
    } finally {
      this.ended = true
    }
  }

  of<T>(event: string): T[] {
    return this.messages.filter((message) => message.event === event).map((message) => message.data as T)
  }

  close(): Promise<void> {
    this.#controller.abort()
    return this.done
  }
}

const rowsOf = (sample: Sample, thread: number): Row => sample.threads.find((row) => row.thread === thread)!

describe('serveDashboard options', () => {
  const invalid: [string, DashboardOptions | unknown][] = [
    ['port', { port: -1 }],
    ['port', { port: 65_536 }],
    ['port', { port: 80.5 }],
    ['port', { port: '8080' }],
    ['host', { host: '' }],
    ['host', { host: 'local host' }],
    ['host', { host: 127001 }],
    ['intervalMs', { intervalMs: 10 }],
    ['sampleTimeoutMs', { sampleTimeoutMs: 0 }],
    ['maxTreeNodes', { maxTreeNodes: 0 }],
    ['token', { token: 'too-short' }],
    ['token', { token: 'sixteen chars or more but with spaces' }],
    ['prot', { prot: 8080 }],
    ['options', 'port 8080'],
  ]

  it('rejects each bad option with an InvalidOptionError naming it, and never echoes a token', async () => {
    const system = await startSystem({ workers: 1 })
    for (const [option, options] of invalid) {
      const error = await errorOf<InvalidOptionError>(system.serveDashboard(options as DashboardOptions))
      expect(error).toBeInstanceOf(InvalidOptionError)
      expect({ code: error.code, option: error.option, named: error.message.includes(`"${option}"`) }).toEqual({ code: 'ERR_INVALID_OPTION', option, named: true })
    }
    const refused = await errorOf(system.serveDashboard({ token: 'secret secret secret' }))
    expect(refused.message).not.toContain('secret')
  })

  it('port 0 picks a free port on 127.0.0.1; a given port is used; a taken one rejects', async () => {
    const system = await startSystem({ workers: 1 })
    const first = await system.serveDashboard({ port: 0 })
    expect(first.port).toBeGreaterThan(0)
    expect(first.url).toBe(`http://127.0.0.1:${first.port}/`)
    const taken = await errorOf<NodeJS.ErrnoException>(system.serveDashboard({ port: first.port }))
    expect(taken.code).toBe('EADDRINUSE')
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number }
        probe.close(() => resolve(port))
      })
    })
    const second = await system.serveDashboard({ port: free, host: 'localhost' })
    expect(second.port).toBe(free)
    expect(second.url).toBe(`http://localhost:${free}/`)
    expect((await get(second.url)).status).toBe(200)
    await Promise.all([first.close(), second.close()])
  })

  it('rejects with SystemShutdownError once the system is shutting down', async () => {
    const system = await startSystem({ workers: 1 })
    await system.shutdown()
    expect(await errorOf(system.serveDashboard())).toBeInstanceOf(SystemShutdownError)
  })
})

describe('the dashboard server', () => {
  it('serves the page and uPlot from the installed package, with a strict content policy', async () => {
    const system = await startSystem({ workers: 1 })
    const dashboard = await system.serveDashboard()
    const page = await get(dashboard.url)
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.body).toContain('<script src="uplot.js"></script>')
    const uplot = await get(new URL('uplot.js', dashboard.url).href)
    const installed = await readFile(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'), 'utf8')
    expect(uplot.body).toBe(installed)
    for (const file of ['app.js', 'charts.js', 'render.js', 'tree.js']) expect((await get(new URL(file, dashboard.url).href)).headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await get(new URL('uplot.css', dashboard.url).href)).headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await get(dashboard.url, {}, 'HEAD')).body).toBe('')
  })

  it('answers anything else with a clear 4xx', async () => {
    const system = await startSystem({ workers: 1 })
    const dashboard = await system.serveDashboard()
    expect(await get(new URL('../../etc/passwd', dashboard.url).href)).toMatchObject({ status: 404, body: 'no such page: /etc/passwd\n' })
    expect(await get(dashboard.url, {}, 'POST')).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } })
    expect((await get(`${dashboard.url}?${'x'.repeat(3000)}`)).status).toBe(414)
    // A page of another site, reaching this port through a name of its own (DNS rebinding), is refused.
    expect((await get(new URL('state.json', dashboard.url).href, { host: `attacker.example:${dashboard.port}` })).status).toBe(403)
  })

  it('with a token, serves the figures only to requests that carry it', async () => {
    const system = await startSystem({ workers: 1 })
    const token = 'k3y-0f-at-least-16_chars'
    const dashboard = await system.serveDashboard({ token })
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/?token=${token}`)
    const base = `http://127.0.0.1:${dashboard.port}`
    expect((await get(`${base}/`)).status).toBe(200) // the page itself holds no figures
    expect((await get(`${base}/state.json`)).status).toBe(401)
    expect((await get(`${base}/events`)).status).toBe(401)
    expect((await get(`${base}/state.json?token=${token}x`)).status).toBe(401)
    expect((await get(`${base}/state.json?token=${token}`)).status).toBe(200)
    expect((await get(`${base}/state.json`, { authorization: `Bearer ${token}` })).status).toBe(200)
  })
})

describe('the feed', () => {
  it('reports every thread, the recorded tree (capped), and dead letters by reason', async () => {
    const system = await startSystem({ workers: 2, actors: FIXTURE_ACTORS })
    const counters = await Promise.all([0, 1, 2].map((worker) => system.spawn(Counter, { name: `counter-${worker}`, placement: { worker: worker % 2 } })))
    const log = await system.spawn(EventLog)
    const parent = await system.spawn(Parent, { args: [log], name: 'parent', placement: { worker: 0 } })
    const local = await parent.ask.spawnChildren(2, 'local')
    const spread = await parent.ask.spawnChildren(4, 'round-robin')
    expect(local).toEqual([1, 1])
    for (const counter of counters) counter.tell.inc()
    await system.stop(counters[2]!)
    for (let i = 0; i < 3; i++) counters[2]!.tell.inc()
    await expect.poll(() => system.deadLetters.count).toBe(3)

    const dashboard = await system.serveDashboard({ maxTreeNodes: 4 })
    const { sample } = await state(dashboard)
    expect(sample.threads.map((row) => [row.thread, row.status, row.generation])).toEqual([
      [0, 'up', 0],
      [1, 'up', 0],
      [2, 'up', 0],
    ])
    const stats = await system.stats()
    for (const row of sample.threads) expect(row.actors).toBe(stats.threads[row.thread]!.actors)
    expect(sample.deadLetters).toEqual({ total: 3, byReason: system.deadLetters.countsByReason })

    // Main records the top-level actors and the children the system placed (any placement but
    // 'local', even one that lands on the parent's thread); the two 'local' children live in
    // worker 1's own tree.
    expect(sample.tree.recorded).toBe(4 + spread.length)
    expect(sample.tree.shown).toBe(4)
    expect(sample.tree.roots.map((node) => node.name)).toEqual(['counter-0', 'counter-1', undefined, 'parent'])
    const parentNode = sample.tree.roots[3]!
    expect(parentNode).toMatchObject({ type: 'Parent', thread: 1, local: false })
    expect(parentNode.children.length + parentNode.hiddenChildren).toBe(spread.length)

    const uncapped = await system.serveDashboard({ maxTreeNodes: 100 })
    const full = (await state(uncapped)).sample.tree
    expect(full.shown).toBe(full.recorded)
    expect(full.roots[3]!.children.map((child) => [child.type, child.thread])).toEqual(spread.map((thread) => ['Child', thread]))
  })

  it('lists the actor types of each thread and the deepest mailboxes', async () => {
    const system = await startSystem({ workers: 2 })
    const [slow, idle] = await Promise.all([system.spawn(Counter, { name: 'slow', placement: { worker: 1 } }), system.spawn(Counter, { placement: { worker: 1 } })])
    await system.spawn(EventLog, { placement: { worker: 0 } })
    // One message at a time: while `slowGet` waits on its timer, the next 50 wait in the mailbox.
    const answered = slow.ask.slowGet(1_500)
    for (let i = 0; i < 50; i++) slow.tell.inc()
    idle.tell.inc()
    const dashboard = await system.serveDashboard()
    const { sample } = await state(dashboard)
    const worker2 = rowsOf(sample, 2)
    expect(worker2.types?.find((type) => type.type === 'Counter')).toMatchObject({ actors: 2, mailboxDepth: 50 })
    expect(worker2.largestMailboxes).toEqual([{ id: slow.id, name: 'slow', type: 'Counter', depth: 50 }])
    expect(rowsOf(sample, 1).types?.find((type) => type.type === 'EventLog')).toMatchObject({ actors: 1, mailboxDepth: 0 })
    expect(rowsOf(sample, 1).largestMailboxes).toEqual([])
    expect(await answered).toBe(0)
  })

  it('streams a first message, then samples while a page is open, and events as they happen', async () => {
    const system = await startSystem({ workers: 2 })
    const counter = await system.spawn(Counter, { placement: { worker: 1 } })
    const dashboard = await system.serveDashboard({ intervalMs: 100 })
    const stream = new Stream(new URL('events', dashboard.url).href)
    await expect.poll(() => stream.of('sample').length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3)
    expect(stream.messages[0]!.event).toBe('hello')
    expect(stream.messages[0]!.data).toMatchObject({ workers: 2, intervalMs: 100 })

    for (let i = 0; i < 1000; i++) counter.tell.inc()
    await expect.poll(() => stream.of<Sample>('sample').some((sample) => (rowsOf(sample, 2).throughput ?? 0) > 0), { timeout: 5_000 }).toBe(true)
    const samples = stream.of<Sample>('sample')
    expect(rowsOf(samples.at(-1)!, 2).processed).toBeGreaterThanOrEqual(1000)
    for (const sample of samples) for (const row of sample.threads) expect(row.utilization === null || (row.utilization >= 0 && row.utilization <= 1)).toBe(true)

    counter.tell.fail('boom')
    await expect.poll(() => stream.of<{ events: ShownEvent[] }>('events').flatMap((batch) => batch.events.map((event) => event.type)), { timeout: 5_000 }).toEqual(['actor-failed', 'actor-restarted'])
    const [failed] = stream.of<{ events: ShownEvent[] }>('events')[0]!.events
    expect(failed).toMatchObject({ severity: 'warn', actor: counter.id })
    expect(failed!.text).toContain(`Counter #${counter.id} on thread 2 failed (Error: boom)`)

    // A page that opens later gets the recent events and the charts' history in its first message.
    const later = new Stream(new URL('events', dashboard.url).href)
    await expect.poll(() => later.messages.length).toBeGreaterThan(0)
    const hello = later.messages[0]!.data as { events: ShownEvent[]; history: unknown[] }
    expect(hello.events.map((event) => event.type)).toEqual(['actor-failed', 'actor-restarted'])
    expect(hello.history.length).toBeGreaterThanOrEqual(3)
    await Promise.all([stream.close(), later.close()])
  })

  it('a hung worker shows as not answering while the others keep updating, then as hung, crashed and replaced', async () => {
    const system = await startSystem({ workers: 2, actors: [...FIXTURE_ACTORS, fixture('busy.ts')], heartbeatIntervalMs: 50, handlerHangMs: 3_000 })
    const busy = await system.spawn(Busy, { placement: { worker: 1 } })
    const dashboard = await system.serveDashboard({ intervalMs: 100, sampleTimeoutMs: 200 })
    const stream = new Stream(new URL('events', dashboard.url).href)
    await expect.poll(() => stream.of('sample').length).toBeGreaterThan(0)

    busy.tell.spinForever()
    const hungSince = () => stream.of<Sample>('sample').filter((sample) => rowsOf(sample, 2).status === 'not-answering')
    await expect.poll(() => hungSince().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(4)
    // Samples keep their pace (each waits at most sampleTimeoutMs for the silent worker), and
    // the threads that answer are shown with fresh figures.
    const silent = hungSince()
    for (const sample of silent) {
      expect(rowsOf(sample, 0).status).toBe('up')
      expect(rowsOf(sample, 1)).toMatchObject({ status: 'up', utilization: expect.any(Number) })
      expect(rowsOf(sample, 2).utilization).toBeNull()
    }
    const gaps = silent.slice(1).map((sample, i) => sample.at - silent[i]!.at)
    expect(Math.max(...gaps)).toBeLessThan(1_000)

    // The watchdog terminates it after handlerHangMs, and a fresh worker takes the slot.
    const events = () => stream.of<{ events: ShownEvent[] }>('events').flatMap((batch) => batch.events)
    await expect.poll(() => events().filter((event) => event.thread === 2 && event.type.startsWith('worker-')).map((event) => event.type), { timeout: 15_000 }).toEqual(['worker-hung', 'worker-crashed', 'worker-replaced', 'worker-recovered'])
    expect(events().find((event) => event.type === 'worker-crashed')).toMatchObject({ severity: 'error', text: expect.stringMatching(/^worker 2 crashed: hung/) })
    await expect.poll(() => rowsOf(stream.of<Sample>('sample').at(-1)!, 2), { timeout: 5_000 }).toMatchObject({ status: 'up', generation: 1, crashes: 1 })
    await stream.close()
  })
})

describe('the supervision tree', () => {
  /** The main thread's real directory, filled as spawns would fill it. */
  function directory(): { directory: Directory; add: (thread: number, parent: number, type: string, name?: string) => number } {
    const directory = new Directory(new ActorIds(0, 0))
    const add = (thread: number, parent: number, type: string, name?: string): number => {
      const id = directory.allocateId()
      directory.add(id, thread, name, parent, { export: type } as ActorBlueprint)
      return id
    }
    return { directory, add }
  }
  const summary = (nodes: readonly (Node | TreeNode)[]): unknown[] => nodes.map((node) => [node.type ?? `local #${node.id}`, node.hiddenChildren, summary(node.children)])

  it('lists what main records, breadth first, with the children of actors in a local tree under a placeholder', () => {
    const { directory: tree, add } = directory()
    const root = add(1, 0, 'Root', 'root')
    add(2, root, 'A')
    const b = add(1, root, 'B')
    add(2, b, 'C')
    // An actor of worker 1's local tree (main has no record of it) had a child placed on worker 2.
    const localParent = 999_001
    tree.addForeignParent(localParent, { id: localParent, thread: 1, name: undefined, window: 0 }, {} as ResolvedSupervision)
    add(2, localParent, 'Placed')

    const view = buildTree(tree, 2, 100)
    expect(view).toMatchObject({ recorded: 5, shown: 5 })
    expect(summary(view.roots)).toEqual([
      ['Root', 0, [['A', 0, []], ['B', 0, [['C', 0, []]]]]],
      [`local #${localParent}`, 0, [['Placed', 0, []]]],
    ])
    expect(view.roots[1]).toMatchObject({ local: true, thread: 1 })
    expect(view.roots[0]).toMatchObject({ name: 'root', thread: 1, local: false, lost: false, restarts: 0 })
  })

  it('shows at most maxTreeNodes actors, top levels first, and counts the rest', () => {
    const { directory: tree, add } = directory()
    const roots = [add(1, 0, 'R'), add(2, 0, 'R')]
    for (const root of roots) for (let i = 0; i < 3; i++) add(1, root, 'Kid')
    const view = buildTree(tree, 2, 4)
    expect(view).toMatchObject({ recorded: 8, shown: 4 })
    expect(summary(view.roots)).toEqual([
      ['R', 1, [['Kid', 0, []], ['Kid', 0, []]]],
      ['R', 3, []],
    ])
  })
})

describe('closing', () => {
  it('close() ends every open stream and frees the port; it can be called again', async () => {
    const system = await startSystem({ workers: 1 })
    const dashboard = await system.serveDashboard({ intervalMs: 100 })
    const streams = [new Stream(new URL('events', dashboard.url).href), new Stream(new URL('events', dashboard.url).href)]
    await expect.poll(() => streams.every((stream) => stream.of('sample').length > 0)).toBe(true)
    const closing = dashboard.close()
    expect(dashboard.close()).toBe(closing)
    await closing
    await Promise.all(streams.map((stream) => stream.done))
    expect(streams.every((stream) => stream.ended)).toBe(true)
    expect(await errorOf(fetch(dashboard.url))).toBeInstanceOf(TypeError) // connection refused
  })

  it("the system's shutdown closes the dashboards it serves, open streams included", async () => {
    const system = await startSystem({ workers: 1 })
    const dashboard = await system.serveDashboard({ intervalMs: 100 })
    const stream = new Stream(new URL('events', dashboard.url).href)
    await expect.poll(() => stream.of('sample').length).toBeGreaterThan(0)
    await system.shutdown()
    await stream.done
    expect(stream.ended).toBe(true)
    await dashboard.close() // already closed by the shutdown: resolves at once
    expect(await errorOf(fetch(dashboard.url))).toBeInstanceOf(TypeError)
  })
})
