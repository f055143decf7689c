import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AirDisplayClient } from '../../src/airdisplay/client.js'
import type { AirDisplayOptions } from '../../src/airdisplay/options.js'
import { startAirDisplay, type AirDisplay } from '../../src/airdisplay/server.js'

/** A fresh LMDB folder under the temp directory, and its removal. */
export function tempStore(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'troupe-airdisplay-test-'))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

export interface TestDisplay {
  readonly display: AirDisplay
  readonly client: AirDisplayClient
  readonly storePath: string
  /** Closes the server and removes its store (unless `keepStore`). */
  close(keepStore?: boolean): Promise<void>
}

/** An AirDisplay on a free port of 127.0.0.1, 2 workers, a store of its own (or `storePath`). */
export async function startTestDisplay(options: AirDisplayOptions = {}): Promise<TestDisplay> {
  const store = options.storePath === undefined ? tempStore() : { path: options.storePath, remove: () => undefined }
  const display = await startAirDisplay({ workers: 2, ...options, storePath: store.path })
  return {
    display,
    client: new AirDisplayClient(display.url),
    storePath: store.path,
    async close(keepStore = false) {
      await display.close()
      if (!keepStore) store.remove()
    },
  }
}

/** A raw request to the server at `baseUrl`, answered as status, headers and parsed JSON (or text). */
export async function request(baseUrl: string, path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; json: Record<string, unknown>; text: string }> {
  const response = await fetch(new URL(path, baseUrl), init)
  const text = await response.text()
  let json: Record<string, unknown> = {}
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) json = JSON.parse(text) as Record<string, unknown>
  return { status: response.status, headers: response.headers, json, text }
}

/** A JSON POST with any body (a string is sent as it is, so it may be invalid on purpose). */
export function postRaw(baseUrl: string, path: string, body: string | Uint8Array, contentType = 'application/json'): ReturnType<typeof request> {
  return request(baseUrl, path, { method: 'POST', headers: { 'content-type': contentType }, body })
}
