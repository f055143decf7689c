// Helpers of the packaging tests: pack troupe once, make fresh projects outside the repository,
// install into them with real npm and pnpm, and run real tsc, tsx and node there.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
export const CONSUMER_FIXTURE = fileURLToPath(new URL('./consumer/', import.meta.url))

/** The versions of the user-side tools: the repository's own pins, so installs hit the cache. */
const rootManifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
export const DEV_TOOLS = ['typescript', 'tsx', '@types/node'].map((name) => `${name}@${rootManifest.devDependencies[name]}`)

export interface RunResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  readonly cwd: string
  readonly timeoutMs?: number
  /** Send SIGINT once stdout contains this text (a service that runs until it is stopped). */
  readonly interruptAfter?: string
}

/**
 * The environment of a user's shell: without the npm/pnpm variables of the `pnpm test` that runs
 * us (they would configure the child npm as if it ran a script of this workspace), nor vitest's.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || /^VITEST/.test(key) || key === 'NODE_OPTIONS' || key === 'TSX_TSCONFIG_PATH') continue
    env[key] = value
  }
  // `node` in a project is the Node that runs this test (CI runs the suite on several versions).
  env.PATH = `${join(process.execPath, '..')}:${env.PATH ?? ''}`
  return env
}

/** Runs a command without a shell; rejects only if it cannot start or exceeds its time. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { cwd, timeoutMs = 90_000, interruptAfter } = options
  return new Promise((resolve, reject) => {
    // Its own process group, so that an interrupt reaches every process of it, as Ctrl-C in a
    // terminal does (tsx runs the program in a child process).
    const child = spawn(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: interruptAfter !== undefined })
    let stdout = ''
    let stderr = ''
    let interrupted = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (interruptAfter !== undefined && !interrupted && stdout.includes(interruptAfter)) {
        interrupted = true
        process.kill(-child.pid!, 'SIGINT')
      }
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      if (interruptAfter !== undefined) process.kill(-child.pid!, 'SIGKILL')
      else child.kill('SIGKILL')
      reject(new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** Like `run`, but a non-zero exit is an error that shows the output. */
export async function succeed(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  const result = await run(command, args, options)
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code ?? result.signal}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  }
  return result.stdout
}

/**
 * Builds troupe and writes its publishable tarball into a temporary folder, checked by publint
 * and arethetypeswrong (`pnpm release:pack --check`). Returns the tarball's path.
 */
export async function packTroupe(): Promise<{ tarball: string; dispose: () => void }> {
  const out = mkdtempSync(join(tmpdir(), 'troupe-packed-'))
  const stdout = await succeed(process.execPath, [join(REPO_ROOT, 'scripts/release-pack.mjs'), '--out', out, '--check'], { cwd: REPO_ROOT, timeoutMs: 150_000 })
  const tarball = stdout.trim().split('\n').at(-1)!
  return { tarball, dispose: () => rmSync(out, { recursive: true, force: true }) }
}

export type PackageManager = 'npm' | 'pnpm'

/** A new, empty ES-module project in the temporary folder: no workspace above it. */
export function emptyProject(name: string): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `troupe-${name}-`))
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' }, null, 2)}\n`)
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Installs troupe from its tarball, alone, plus the TypeScript tools, as the README says. */
export async function install(manager: PackageManager, dir: string, tarball: string): Promise<void> {
  if (manager === 'npm') {
    await succeed('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: dir })
    await succeed('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', ...DEV_TOOLS], { cwd: dir })
  } else {
    await succeed('pnpm', ['add', '--prefer-offline', tarball], { cwd: dir })
    await succeed('pnpm', ['add', '--prefer-offline', '--save-dev', ...DEV_TOOLS], { cwd: dir })
  }
}

/** Copies the consumer fixture (tsconfig and sources) into a project. */
export function copyConsumer(dir: string): void {
  cpSync(CONSUMER_FIXTURE, dir, { recursive: true })
}

/** A project's own binary (`tsc`, `tsx`), as `npx` would run it. */
export function bin(dir: string, name: string): string {
  return join(dir, 'node_modules/.bin', name)
}
