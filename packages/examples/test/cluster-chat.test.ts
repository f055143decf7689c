// `pnpm example cluster-chat` as a process, from sources: it starts a real nats-server and three
// real node processes, and SIGKILLs one. The assertions read the nodes' own lines (`--raw`), not
// the launcher's verdict alone.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, it } from 'vitest'
import type { NodeLine } from '../src/cluster-chat/protocol.js'
import { NODES, PHASES, usersOf } from '../src/cluster-chat/scenario.js'
import { describeWithNats } from './helpers/nats.js'

const EXAMPLE = fileURLToPath(new URL('../src/example.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** A guard against a launcher that hangs, not a wait for a condition: the run takes about 15 s. */
const RUN_TIMEOUT_MS = 45_000

const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

interface Run {
  readonly code: number | null
  readonly stdout: string
  /** The nodes' lines, in the order the launcher received them. */
  readonly raw: ReadonlyArray<{ readonly node: string; readonly line: NodeLine }>
}

/** Runs `example.ts <args>` to its end, as `pnpm example` does but from sources. */
function runExample(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = spawn(process.execPath, ['--conditions=troupe-source', '--import', 'tsx', EXAMPLE, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  let stdout = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      // SIGTERM: the launcher then stops its nodes and its nats-server (afterEach SIGKILLs it if not).
      child.kill('SIGTERM')
      reject(new Error(`the launcher did not exit within ${RUN_TIMEOUT_MS} ms; it printed:\n${stdout}`))
    }, RUN_TIMEOUT_MS)
    child.once('close', (code) => {
      clearTimeout(guard)
      const raw = stdout
        .split('\n')
        .map((text) => /^raw (\w+) (\{.*\})$/.exec(text))
        .filter((match) => match !== null)
        .map((match) => ({ node: match[1]!, line: JSON.parse(match[2]!) as NodeLine }))
      resolve({ code, stdout, raw })
    })
  })
}

const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)
const sorted = (names: readonly string[]): string[] => [...names].sort()

describeWithNats('cluster-chat (real nats-server, three node processes)', () => {
  it('every user on every node hears every sender in its order; after SIGKILL of c the room drops c’s users and a and b chat on; exits 0', async () => {
    const run = await runExample(['cluster-chat', '--raw'])
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toMatch(/^PASS: all 8 checks/m)

    // Three nodes, each up with its users joined; ids are per run, so all different.
    const ready = run.raw.flatMap(({ line }) => ('ready' in line ? [line.ready] : []))
    expect(ready.map((r) => r.node).sort()).toEqual(['a', 'b', 'c'])
    for (const r of ready) expect(r.users).toEqual(usersOf(r.node as 'a' | 'b' | 'c'))
    expect(new Set(ready.map((r) => r.id)).size).toBe(3)

    // What each user heard from each sender, in arrival order (all live: everyone joined before the first post).
    const heard = run.raw.flatMap(({ line }, index) => ('heard' in line ? [{ ...line.heard, index }] : []))
    expect(heard.some((h) => h.history)).toBe(false)
    const of = (user: string, sender: string): number[] => heard.filter((h) => h.user === user && h.from === sender).map((h) => h.n)
    const everyone = NODES.flatMap((n) => n.users)
    const victims = usersOf('c')
    const survivors = everyone.filter((user) => !victims.includes(user))
    for (const user of everyone) {
      for (const sender of everyone) {
        const ns = of(user, sender)
        // Per-sender order across nodes: 1, 2, 3, … with no gap, repeat or swap; phase 1 complete for everyone.
        expect(ns, `${user} from ${sender}`).toEqual(upTo(ns.length))
        expect(ns.length, `${user} from ${sender}`).toBeGreaterThanOrEqual(PHASES.all.posts)
      }
    }
    // One order for the room, across nodes: every user received its broadcasts as seq 1, 2, 3, …
    for (const user of everyone) {
      const seqs = heard.filter((h) => h.user === user).map((h) => h.seq)
      expect(seqs, user).toEqual(upTo(seqs.length))
    }
    // a's and b's users got every post of each other, over all three phases.
    const total = PHASES.all.posts + PHASES.kill.posts + PHASES.after.posts
    for (const user of survivors) for (const sender of survivors) expect(of(user, sender), `${user} from ${sender}`).toEqual(upTo(total))
    // ... and the same prefix of c's users' posts: the room told each one to every member at once.
    for (const sender of victims) expect(new Set(survivors.map((user) => of(user, sender).length)).size, sender).toBe(1)

    // Node a's room dropped exactly c's users once c was declared down.
    const droppedAt = run.raw.findIndex(({ node, line }) => node === 'a' && 'dropped' in line)
    expect(droppedAt).toBeGreaterThan(-1)
    const dropped = run.raw[droppedAt]!.line as Extract<NodeLine, { dropped: unknown }>
    expect(dropped.dropped.node).toBe('c')
    expect(dropped.dropped.id).toBe(ready.find((r) => r.node === 'c')!.id)
    expect(sorted(dropped.dropped.users)).toEqual(sorted(victims))
    expect(sorted(dropped.dropped.members)).toEqual(sorted(survivors))
    // c's death was seen by both survivors as a node-down.
    for (const watcher of ['a', 'b']) {
      expect(run.raw.some(({ node, line }) => node === watcher && 'event' in line && line.event.type === 'node-down' && line.event.node === 'c')).toBe(true)
    }

    // After the drop: a's and b's users still exchange messages (all of phase 3), and nobody hears c's users.
    const afterDrop = heard.filter((h) => h.index > droppedAt)
    const phase3From = PHASES.all.posts + PHASES.kill.posts + 1
    for (const user of survivors) {
      for (const sender of survivors) {
        expect(afterDrop.filter((h) => h.user === user && h.from === sender && h.n >= phase3From).map((h) => h.n), `${user} from ${sender}`).toEqual(upTo(total).slice(phase3From - 1))
      }
    }
    expect(afterDrop.filter((h) => victims.includes(h.from))).toEqual([])

    // The room's last word: only a's and b's users are members, and no dead letter since the drop.
    const reports = run.raw.flatMap(({ node, line }) => (node === 'a' && 'report' in line ? [line.report] : []))
    expect(reports).toHaveLength(2)
    expect(sorted(reports[1]!.room!.members)).toEqual(sorted(survivors))
    const sum = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0)
    expect(sum(reports[1]!.deadLetters)).toBe(sum(reports[0]!.deadLetters))

    // a and b left by the shutdown command; c never did, it was killed.
    expect(run.raw.filter(({ line }) => 'stopped' in line).map(({ node }) => node).sort()).toEqual(['a', 'b'])
    expect(run.stdout).toMatch(/a: exit 0, b: exit 0, c: SIGKILL/)
  }, 60_000)
})

it('without a nats-server, cluster-chat says how to install one and exits 1', async () => {
  const run = await runExample(['cluster-chat'], { TROUPE_NATS_SERVER: '/nonexistent/nats-server' })
  expect(run.code).toBe(1)
  expect(run.stdout).toContain('apt-get install -y nats-server')
  expect(run.raw).toEqual([])
})
