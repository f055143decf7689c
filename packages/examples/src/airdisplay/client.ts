// A small client of the HTTP API, for the scripted run (main.ts) and the tests: what a user's
// program would write with `fetch`. Bodies are trusted to have the API's shapes (it is ours).
import type { BannerMessage, BannerView } from './types.js'

/** What a post came to: shown (201), refused because another message shows (409), or another refusal. */
export type PostOutcome =
  | { readonly kind: 'shown'; readonly status: 201; readonly expiresAt: number; readonly message: BannerMessage }
  | { readonly kind: 'refused'; readonly status: 409; readonly error: string; readonly showing: Pick<BannerMessage, 'text' | 'by' | 'expiresAt'> }
  | { readonly kind: 'error'; readonly status: number; readonly error: string }

export class AirDisplayClient {
  /** `baseUrl`: the server's URL, e.g. `http://127.0.0.1:8080/`. */
  constructor(readonly baseUrl: string) {}

  async list(): Promise<BannerView[]> {
    const { banners } = (await this.#json('api/banners')) as { banners: BannerView[] }
    return banners
  }

  async get(id: string): Promise<BannerView> {
    return (await this.#json(`api/banners/${encodeURIComponent(id)}`)) as BannerView
  }

  async post(id: string, text: string, by: string): Promise<PostOutcome> {
    const response = await fetch(new URL(`api/banners/${encodeURIComponent(id)}/message`, this.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, by }),
    })
    const body = (await response.json()) as Record<string, unknown>
    if (response.status === 201) return { kind: 'shown', status: 201, expiresAt: body.expiresAt as number, message: body.message as BannerMessage }
    if (response.status === 409) return { kind: 'refused', status: 409, error: body.error as string, showing: body.showing as Pick<BannerMessage, 'text' | 'by' | 'expiresAt'> }
    return { kind: 'error', status: response.status, error: String(body.error) }
  }

  async #json(path: string): Promise<unknown> {
    const response = await fetch(new URL(path, this.baseUrl))
    const body: unknown = await response.json()
    if (!response.ok) throw new Error(`GET /${path} answered ${response.status}: ${JSON.stringify(body)}`)
    return body
  }
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, and returns
 * it; rejects naming `what` once `timeoutMs` have passed. For conditions another process or
 * thread makes true (a reminder that fires, a page that updates), where there is nothing to await.
 */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
