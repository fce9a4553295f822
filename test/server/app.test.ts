// What every response shares, over both transports: Cache-Control, JSON errors for unknown
// routes and methods, the open health routes, and CORS by allow-list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_ID,
  CERT,
  type Client,
  client,
  expectError,
  KEY_1,
  post,
  TRANSPORTS,
} from './helpers.js'

describe.each(TRANSPORTS)('routes and headers (%s)', (transport) => {
  let c: Client
  beforeAll(async () => {
    c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      cors: { origins: ['https://app.example.com', 'http://localhost:5173'] },
    })
  })
  afterAll(() => c.close())

  it('GET /healthz answers {"ok":true} without auth', async () => {
    const r = await c.request('/healthz')
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(r.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await r.json()).toEqual({ ok: true })
  })

  it('GET /ping answers pong', async () => {
    const r = await c.request('/ping')
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(await r.text()).toBe('pong')
  })

  it('HEAD of a GET route has the headers and no body', async () => {
    const r = await c.request('/healthz', { method: 'HEAD' })
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(await r.text()).toBe('')
  })

  it.each(['/', '/tokens', '/token/x', '/rtc/only-channel', '/%2e%2e/etc/passwd', '/healthz/x'])(
    'GET %s is a JSON 404',
    async (path) => {
      await expectError(await c.request(path), 404, 'ERR_NOT_FOUND')
    },
  )

  it.each([
    ['GET', '/token', 'POST'],
    ['PUT', '/token', 'POST'],
    ['DELETE', '/token', 'POST'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['PATCH', '/ping', 'GET, HEAD'],
    ['POST', '/rtm/alice', 'GET'],
    ['HEAD', '/rtm/alice', 'GET'],
    ['HEAD', '/chat/app', 'GET'],
    ['GET', '/getToken', 'POST'],
  ])('%s %s is a 405 with Allow', async (method, path, allow) => {
    const r = await c.request(path, { method })
    expect(r.headers.get('allow')).toBe(allow)
    if (method !== 'HEAD') return void (await expectError(r, 405, 'ERR_METHOD_NOT_ALLOWED'))
    // HEAD answers carry no body: the status and headers say it.
    expect(r.status).toBe(405)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(await r.text()).toBe('')
  })

  it('answers a preflight from an allowed origin', async () => {
    const r = await c.request('/token', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    })
    expect(r.status).toBe(204)
    expect(r.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(r.headers.get('access-control-allow-methods')).toContain('POST')
    expect(r.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
    expect(r.headers.get('vary')).toMatch(/Origin/)
    expect(r.headers.get('cache-control')).toBe('no-store')
  })

  it('gives a disallowed origin no CORS grant (preflight or request)', async () => {
    const pre = await c.request('/token', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    })
    expect(pre.headers.get('access-control-allow-origin')).toBeNull()
    expect(pre.headers.get('vary')).toMatch(/Origin/)
    const r = await c.request('/token', {
      method: 'POST',
      headers: {
        Origin: 'https://evil.example',
        'Content-Type': 'application/json',
        Authorization: `Bearer ${KEY_1}`,
      },
      body: '{"type":"fpa"}',
    })
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    expect(r.headers.get('vary')).toMatch(/Origin/)
  })

  it('grants an allowed origin on success and on errors, with Vary: Origin', async () => {
    for (const key of [KEY_1, undefined]) {
      const r = await c.request('/token', {
        method: 'POST',
        headers: {
          Origin: 'http://localhost:5173',
          'Content-Type': 'application/json',
          ...(key ? { Authorization: `Bearer ${key}` } : {}),
        },
        body: '{"type":"fpa"}',
      })
      expect(r.status).toBe(key ? 200 : 401)
      expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
      expect(r.headers.get('vary')).toMatch(/Origin/)
      expect(r.headers.get('cache-control')).toBe('no-store')
    }
  })
})

describe('without cors', () => {
  it('sends no CORS headers and answers OPTIONS with 405', async () => {
    const c = await client('in-process', { appId: APP_ID, appCertificate: CERT, apiKeys: [KEY_1] })
    const r = await post(c, '/token', { type: 'fpa' }, KEY_1)
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    const pre = await c.request('/token', {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    })
    expect(pre.headers.get('access-control-allow-origin')).toBeNull()
    await expectError(pre, 405, 'ERR_METHOD_NOT_ALLOWED')
  })

  it("allows every origin only when '*' is written out", async () => {
    const c = await client('in-process', {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      cors: { origins: ['*'] },
    })
    const r = await c.request('/healthz', { headers: { Origin: 'https://any.example' } })
    expect(r.headers.get('access-control-allow-origin')).toBe('*')
  })
})
