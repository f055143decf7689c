import type { IncomingMessage, ServerResponse } from 'node:http'

/** A request the API refuses: its status and the JSON body that explains why (`{ error, ... }`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message)
  }
}

/** Largest request body the API reads, in bytes: a post is two short strings. */
export const BODY_LIMIT = 4096

// A client that keeps sending past the limit is cut off here; below it the rest of the body is
// read and dropped, so the 413 reaches the client instead of a reset connection.
const DRAIN_LIMIT = 64 * BODY_LIMIT

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers })
  res.end(text)
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: error.message, ...error.extra }, error.headers)
}

/**
 * Reads a JSON request body: 415 unless it is declared `application/json`, 413 past `BODY_LIMIT`
 * bytes, 400 when it is not valid JSON (UTF-8).
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    req.resume()
    throw new HttpError(415, `the body must be JSON, sent with "content-type: application/json" (got ${type === '' ? 'none' : JSON.stringify(type)})`)
  }
  const declared = Number(req.headers['content-length'] ?? 0)
  // Announced as far too large: answer without reading it, and close the connection after.
  if (declared > DRAIN_LIMIT) throw new HttpError(413, `the body must be at most ${BODY_LIMIT} bytes (got ${declared})`, {}, { connection: 'close' })
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    // Far too large and not announced (chunked): stop reading; the client gets no answer.
    if (size > DRAIN_LIMIT) {
      req.destroy()
      break
    }
    if (size <= BODY_LIMIT) chunks.push(chunk)
  }
  if (size > BODY_LIMIT) throw new HttpError(413, `the body must be at most ${BODY_LIMIT} bytes (got ${size > DRAIN_LIMIT ? `over ${DRAIN_LIMIT}` : size})`)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    throw new HttpError(400, 'the body is not valid UTF-8')
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new HttpError(400, `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}
