import { InvalidOptionError } from 'troupe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { Banner } from '../src/airdisplay/banner.js'
import { startAirDisplay } from '../src/airdisplay/server.js'
import { postRaw, request, startTestDisplay, type TestDisplay } from './helpers/airdisplay.js'

const SHOW_MS = 60_000
let test: TestDisplay
let url: string

beforeAll(async () => {
  test = await startTestDisplay({ banners: 6, showMs: SHOW_MS })
  url = test.display.url
})
afterAll(() => test?.close())

const post = (id: string, body: unknown): ReturnType<typeof postRaw> => postRaw(url, `api/banners/${id}/message`, JSON.stringify(body))

describe('airdisplay HTTP API: list, read, post', () => {
  it('lists the fleet b-1..b-6, each without a message, and reads one', async () => {
    const list = await request(url, 'api/banners')
    expect(list.status).toBe(200)
    expect(list.json).toEqual({ banners: ['b-1', 'b-2', 'b-3', 'b-4', 'b-5', 'b-6'].map((id) => ({ id, version: 0, message: null })) })
    const one = await request(url, 'api/banners/b-3')
    expect(one.status).toBe(200)
    expect(one.json).toEqual({ id: 'b-3', version: 0, message: null })
  })

  it('shows a posted message for showMs (201), then refuses a second one with 409 naming it, and keeps the first', async () => {
    const before = Date.now()
    const first = await post('b-1', { text: '  Happy birthday, Ann!  ', by: 'Sam' })
    expect(first.status).toBe(201)
    expect(first.headers.get('location')).toBe('/api/banners/b-1')
    const message = first.json.message as { text: string; by: string; postedAt: number; expiresAt: number }
    expect(message.text).toBe('Happy birthday, Ann!') // trimmed
    expect(message.by).toBe('Sam')
    expect(message.postedAt).toBeGreaterThanOrEqual(before)
    expect(first.json.expiresAt).toBe(message.postedAt + SHOW_MS)

    const second = await post('b-1', { text: 'Free pizza at pier 39', by: 'Lou' })
    expect(second.status).toBe(409)
    expect(second.json.error).toMatch(/banner b-1 is showing another message until .*never overwritten/)
    expect(second.json.showing).toEqual({ text: 'Happy birthday, Ann!', by: 'Sam', expiresAt: message.expiresAt })

    expect((await request(url, 'api/banners/b-1')).json).toEqual({ id: 'b-1', version: 1, message })
    const listed = (await request(url, 'api/banners')).json.banners as Array<{ id: string; message: unknown }>
    expect(listed.find((b) => b.id === 'b-1')?.message).toEqual(message)
    expect(listed.filter((b) => b.message !== null)).toHaveLength(1)
  })

  it('counts characters, not UTF-16 units: 280 emoji fit', async () => {
    const text = '🛩'.repeat(280)
    expect(text.length).toBe(560)
    const posted = await post('b-4', { text, by: '🧑‍✈️ pilot' })
    expect(posted.status).toBe(201)
    expect((posted.json.message as { text: string }).text).toBe(text)
  })
})

describe('airdisplay HTTP API: every bad request is a 4xx JSON error that changes nothing', () => {
  const cases: Array<{ what: string; send: () => ReturnType<typeof request>; status: number; error: RegExp }> = [
    { what: 'invalid JSON', send: () => postRaw(url, 'api/banners/b-2/message', '{"text": "hi",'), status: 400, error: /not valid JSON/ },
    { what: 'invalid UTF-8', send: () => postRaw(url, 'api/banners/b-2/message', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])), status: 400, error: /not valid UTF-8/ },
    { what: 'a JSON array', send: () => post('b-2', ['hi', 'me']), status: 400, error: /must be a JSON object/ },
    { what: 'a JSON string', send: () => post('b-2', 'hi'), status: 400, error: /must be a JSON object/ },
    { what: 'no text', send: () => post('b-2', { by: 'me' }), status: 400, error: /"text" must be a string of 1 to 280 characters/ },
    { what: 'a number as text', send: () => post('b-2', { text: 42, by: 'me' }), status: 400, error: /"text" must be a string/ },
    { what: 'an empty text', send: () => post('b-2', { text: '', by: 'me' }), status: 400, error: /"text" must not be empty/ },
    { what: 'a text of spaces', send: () => post('b-2', { text: '   ', by: 'me' }), status: 400, error: /"text" must not be empty/ },
    { what: 'a text of 281 characters', send: () => post('b-2', { text: 'x'.repeat(281), by: 'me' }), status: 400, error: /"text" is 281 characters long; at most 280/ },
    { what: 'a text on two lines', send: () => post('b-2', { text: 'one\ntwo', by: 'me' }), status: 400, error: /"text" must be one line/ },
    { what: 'no signature', send: () => post('b-2', { text: 'hi' }), status: 400, error: /"by" must be a string of 1 to 40 characters/ },
    { what: 'a signature of 41 characters', send: () => post('b-2', { text: 'hi', by: 'y'.repeat(41) }), status: 400, error: /"by" is 41 characters long; at most 40/ },
    { what: 'an unknown field', send: () => post('b-2', { text: 'hi', by: 'me', colour: 'red' }), status: 400, error: /unknown field\(s\) "colour"/ },
    { what: 'a form body', send: () => postRaw(url, 'api/banners/b-2/message', 'text=hi&by=me', 'application/x-www-form-urlencoded'), status: 415, error: /content-type: application\/json/ },
    { what: 'a body over 4096 bytes', send: () => post('b-2', { text: 'hi', by: 'me', pad: 'z'.repeat(5000) }), status: 413, error: /at most 4096 bytes/ },
    { what: 'a body over 256 KiB', send: () => post('b-2', { text: 'hi', by: 'me', pad: 'z'.repeat(300_000) }), status: 413, error: /at most 4096 bytes/ },
    { what: 'a malformed id', send: () => post('B_2', { text: 'hi', by: 'me' }), status: 400, error: /banner id "B_2" is malformed/ },
    { what: 'an id with a leading zero', send: () => post('b-02', { text: 'hi', by: 'me' }), status: 400, error: /malformed/ },
    { what: 'an id of bad percent-encoding', send: () => post('b-%E0%A4%A', { text: 'hi', by: 'me' }), status: 400, error: /percent-encoding/ },
    { what: 'an id not in the fleet', send: () => post('b-7', { text: 'hi', by: 'me' }), status: 404, error: /no banner b-7: the fleet is b-1..b-6/ },
    { what: 'a read of an id not in the fleet', send: () => request(url, 'api/banners/b-70'), status: 404, error: /no banner b-70/ },
    { what: 'a read of a malformed id', send: () => request(url, 'api/banners/banner1'), status: 400, error: /malformed/ },
  ]

  for (const { what, send, status, error } of cases) {
    it(`${what} → ${status}`, async () => {
      const answer = await send()
      expect(answer.status).toBe(status)
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(answer.json.error).toMatch(error)
    })
  }

  it('left b-2 as it was after all of them', async () => {
    expect((await request(url, 'api/banners/b-2')).json).toEqual({ id: 'b-2', version: 0, message: null })
  })

  it('answers an unknown route with 404 and a wrong method with 405 and Allow', async () => {
    for (const path of ['nope', 'api', 'api/planes', 'api/banners/b-1/messages', 'api/banners/b-1/message/x']) {
      const answer = await request(url, path)
      expect(answer.status, path).toBe(404)
      expect(answer.json.error, path).toMatch(/no route/)
    }
    const del = await request(url, 'api/banners/b-1', { method: 'DELETE' })
    expect([del.status, del.headers.get('allow')]).toEqual([405, 'GET'])
    const get = await request(url, 'api/banners/b-1/message')
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST'])
    const postList = await request(url, 'api/banners', { method: 'POST' })
    expect([postList.status, postList.headers.get('allow')]).toEqual([405, 'GET'])
  })

  it('checks a banner’s arguments in the entity too, for callers other than the API', async () => {
    const banner = test.display.system.entity(Banner, 'b-5')
    await expect(banner.ask.post('', 'me', 1000)).rejects.toThrow(/Banner.post: "text" must not be empty/)
    await expect(banner.ask.post('', 'me', 1000)).rejects.toBeInstanceOf(RangeError)
    await expect(banner.ask.post('hi', 'me', 10)).rejects.toThrow(/Banner.post: showMs must be an integer of ms from 50/)
    expect(await banner.ask.view()).toEqual({ id: 'b-5', version: 0, message: null })
  })
})

describe('airdisplay page', () => {
  it('serves the page with a content security policy, and its script', async () => {
    const page = await request(url, '')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.text).toContain('<script src="/app.js"></script>')
    const script = await request(url, 'app.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.text).toContain("new WebSocket(")
  })
})

/** The HTTP status a websocket handshake to `path` is answered with (101: accepted). */
function handshake(path: string, origin: string): Promise<number> {
  const target = new URL(path, url)
  target.protocol = 'ws:'
  const socket = new WebSocket(target, { origin })
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.close()
      resolve(101)
    })
    socket.once('unexpected-response', (_req, res) => {
      socket.terminate()
      resolve(res.statusCode ?? 0)
    })
    socket.once('error', reject)
  })
}

describe('airdisplay live feed handshake', () => {
  it('accepts pages of its own origin only, on /ws only', async () => {
    const own = new URL(url).origin
    expect(await handshake('ws', own)).toBe(101)
    expect(await handshake('ws', 'http://elsewhere.example')).toBe(403)
    expect(await handshake('feed', own)).toBe(404)
  })
})

describe('airdisplay options', () => {
  it.each([
    [{ showMs: 10 }, 'showMs'],
    [{ showMs: 1.5 }, 'showMs'],
    [{ port: -1 }, 'port'],
    [{ port: 70_000 }, 'port'],
    [{ banners: 0 }, 'banners'],
    [{ banners: 10_000 }, 'banners'],
    [{ host: '' }, 'host'],
    [{ storePath: '' }, 'storePath'],
    [{ workers: 0 }, 'workers'],
    [{ showMS: 500 }, 'showMS'],
  ])('refuses %o, naming %s', async (options, option) => {
    const refused = startAirDisplay(options as Parameters<typeof startAirDisplay>[0])
    await expect(refused).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(refused).rejects.toMatchObject({ option, message: expect.stringContaining(`option "${option}"`) })
  })
})
