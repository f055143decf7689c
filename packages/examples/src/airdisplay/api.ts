import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ActorSystem } from 'troupe'
import { Banner } from './banner.js'
import { BANNER_ID } from './fleet.js'
import { readFleet } from './fleet-reader.js'
import { HttpError, readJsonBody, sendJson } from './http-json.js'
import { checkPostBody } from './validate.js'

/** What the API works on: the system hosting the banners, the fleet's ids, and how long a message shows. */
export interface ApiContext {
  readonly system: ActorSystem
  readonly fleet: readonly string[]
  readonly showMs: number
}

/**
 * The JSON API under `/api`:
 * - `GET /api/banners`: every banner of the fleet with its message (or null).
 * - `GET /api/banners/:id`: one banner.
 * - `POST /api/banners/:id/message` with `{ text, by }`: 201 `{ id, expiresAt, message }`, or 409
 *   `{ error, showing }` while another message shows.
 * Refusals throw an `HttpError`, answered by the server as `{ error }` with its status.
 */
export async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string, api: ApiContext): Promise<void> {
  const [, root, collection, rawId, leaf, ...rest] = pathname.split('/')
  if (root !== 'api' || collection !== 'banners' || rest.length > 0) throw notFound(pathname)
  if (rawId === undefined) {
    allow(req, 'GET')
    sendJson(res, 200, { banners: await readFleet(api.system, api.fleet) })
    return
  }
  if (leaf === undefined) {
    const id = bannerId(rawId, api.fleet)
    allow(req, 'GET')
    sendJson(res, 200, await api.system.entity(Banner, id).ask.view())
    return
  }
  if (leaf !== 'message') throw notFound(pathname)
  const id = bannerId(rawId, api.fleet)
  allow(req, 'POST')
  await postMessage(req, res, id, api)
}

async function postMessage(req: IncomingMessage, res: ServerResponse, id: string, api: ApiContext): Promise<void> {
  const input = checkPostBody(await readJsonBody(req))
  if (!input.ok) throw new HttpError(400, input.error)
  const result = await api.system.entity(Banner, id).ask.post(input.value.text, input.value.by, api.showMs)
  if (!result.accepted) {
    const { text, by, expiresAt } = result.showing
    throw new HttpError(409, `banner ${id} is showing another message until ${new Date(expiresAt).toISOString()}; a message is never overwritten`, { showing: { text, by, expiresAt } })
  }
  sendJson(res, 201, { id, expiresAt: result.message.expiresAt, message: result.message }, { location: `/api/banners/${id}` })
}

/** A well-formed id of the fleet: 400 for a malformed one, 404 for one the fleet does not have. */
function bannerId(raw: string, fleet: readonly string[]): string {
  let id: string
  try {
    id = decodeURIComponent(raw)
  } catch {
    throw new HttpError(400, 'the banner id is not valid percent-encoding')
  }
  if (!BANNER_ID.test(id)) throw new HttpError(400, `banner id ${JSON.stringify(id.slice(0, 40))} is malformed: ids look like "b-1"`)
  if (!fleet.includes(id)) throw new HttpError(404, `no banner ${id}: the fleet is b-1..b-${fleet.length}`)
  return id
}

function allow(req: IncomingMessage, method: 'GET' | 'POST'): void {
  if (req.method !== method) throw new HttpError(405, `${req.method ?? '?'} is not allowed here; use ${method}`, {}, { allow: method })
}

function notFound(pathname: string): HttpError {
  return new HttpError(404, `no route ${JSON.stringify(pathname.slice(0, 100))}`)
}
