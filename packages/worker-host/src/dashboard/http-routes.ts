import type { IncomingMessage, ServerResponse } from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import type { DashboardFeed } from './dashboard-feed.js'
import type { SseClients } from './sse-clients.js'
import type { Asset } from './static-assets.js'

export interface RouteContext {
  readonly assets: ReadonlyMap<string, Asset>
  readonly feed: DashboardFeed
  readonly clients: SseClients
  readonly token: string | undefined
  /** Bound to a loopback address: only requests naming a loopback host are served (see `hostAllowed`). */
  readonly loopbackOnly: boolean
}

const MAX_URL_LENGTH = 2048
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The page runs only its own scripts and styles and talks only to this server. */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  // The page's URL may carry the token: never send it on as a referrer.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
} as const

/**
 * Every request, answered: the page's files, `/events` (the live stream), `/state.json` (the
 * latest sample and recent events, for scripts), and a clear 4xx for anything else.
 */
export function handleRequest(req: IncomingMessage, res: ServerResponse, context: RouteContext): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, `${req.method} is not served here: only GET and HEAD`, { allow: 'GET, HEAD' })
  const raw = req.url ?? '/'
  if (raw.length > MAX_URL_LENGTH) return reply(res, 414, `the URL is longer than ${MAX_URL_LENGTH} characters`)
  if (!hostAllowed(req, context)) return reply(res, 403, 'this dashboard answers only requests addressed to localhost (a page of another site may not read it)')
  let url: URL
  try {
    url = new URL(raw, 'http://dashboard.invalid')
  } catch {
    return reply(res, 400, 'the request URL cannot be parsed')
  }
  const asset = context.assets.get(url.pathname)
  if (asset) {
    res.writeHead(200, { 'content-type': asset.contentType, 'content-length': asset.body.length, ...PAGE_HEADERS })
    res.end(req.method === 'HEAD' ? undefined : asset.body)
    return
  }
  // Browsers ask for a favicon on their own; there is none, and a 404 would show in the console.
  if (url.pathname === '/favicon.ico') return void res.writeHead(204, PAGE_HEADERS).end()
  if (url.pathname !== '/events' && url.pathname !== '/state.json') return reply(res, 404, `no such page: ${url.pathname.slice(0, 100)}`)
  if (!authorized(req, url, context.token)) return reply(res, 401, 'a valid token is required (?token= or Authorization: Bearer)', { 'www-authenticate': 'Bearer' })
  if (url.pathname === '/events') {
    if (req.method === 'HEAD') return reply(res, 200, '')
    if (!context.clients.open(res, 'hello', context.feed.hello())) reply(res, 503, 'too many dashboard pages are open; close one and reload', { 'retry-after': '10' })
    return
  }
  void context.feed.current().then(
    (sample) => sendJson(res, req.method === 'HEAD', { sample, events: context.feed.recentEvents }),
    () => reply(res, 503, 'the sample failed; try again'),
  )
}

/**
 * A page of another site can make the browser send requests here, and with DNS rebinding read
 * the answers, under a hostname of its own: when the server listens on loopback, a request must
 * name a loopback host.
 */
function hostAllowed(req: IncomingMessage, context: RouteContext): boolean {
  if (!context.loopbackOnly) return true
  const host = req.headers.host
  if (host === undefined) return false
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!
  return LOOPBACK_NAMES.has(name.toLowerCase())
}

function authorized(req: IncomingMessage, url: URL, token: string | undefined): boolean {
  if (token === undefined) return true
  const header = req.headers.authorization
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : url.searchParams.get('token')
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  // Compared in constant time: the answer's timing must not reveal how much of a guess was right.
  return a.length === b.length && timingSafeEqual(a, b)
}

function sendJson(res: ServerResponse, head: boolean, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value))
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  res.end(head ? undefined : body)
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers })
  res.end(message === '' ? undefined : `${message}\n`)
}
