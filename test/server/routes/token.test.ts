// POST /token over both transports: every token type, the lifetime rules, and hostile bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeToken, verifyToken } from '../../../src/index.js'
import {
  APP_ID,
  CERT,
  type Client,
  client,
  expectError,
  expectNoSecret,
  KEY_1,
  KEY_2,
  post,
  TRANSPORTS,
} from '../helpers.js'

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0)
const NOW_S = NOW / 1000

describe.each(TRANSPORTS)('POST /token (%s)', (transport) => {
  let c: Client
  const events: unknown[] = []
  beforeAll(async () => {
    c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1, KEY_2],
      now: () => NOW,
      onIssue: (event) => void events.push(event),
    })
  })
  afterAll(() => c.close())

  async function issue(body: unknown, key = KEY_1) {
    const response = await post(c, '/token', body, key)
    const text = await response.text()
    expect(response.status, text).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    return JSON.parse(text)
  }

  it('issues an RTC publisher token that verifies and carries what was asked', async () => {
    const body = await issue({
      type: 'rtc',
      channelName: 'room-1',
      uid: 42,
      role: 'publisher',
      expiresIn: '30m',
    })
    expect(body).toEqual({
      token: expect.stringMatching(/^007/),
      type: 'rtc',
      appId: APP_ID,
      channelName: 'room-1',
      uid: 42,
      issuedAt: '2030-01-01T12:00:00.000Z',
      expiresAt: '2030-01-01T12:30:00.000Z',
      clamped: false,
    })
    const at = new Date(NOW + 1000)
    verifyToken(body.token, CERT, {
      currentDate: at,
      appId: APP_ID,
      require: { service: 'rtc', channelName: 'room-1', uid: 42, privilege: 'publishVideoStream' },
    })
    const decoded = decodeToken(body.token)
    expect(decoded.version).toBe('007')
    if (decoded.version !== '007') return
    expect(decoded.issueTs).toBe(NOW_S)
    expect(decoded.expire).toBe(1800)
    expect(decoded.services).toEqual([
      {
        type: 'rtc',
        channelName: 'room-1',
        uid: '42',
        privileges: {
          joinChannel: 1800,
          publishAudioStream: 1800,
          publishVideoStream: 1800,
          publishDataStream: 1800,
        },
      },
    ])
    expect(decoded.salt).toBeGreaterThanOrEqual(1)
    expect(decoded.salt).toBeLessThanOrEqual(99_999_999)
  })

  it('defaults to a subscriber (join only) for one hour', async () => {
    const body = await issue({ type: 'rtc', channelName: 'room-1', uid: 'alice' })
    expect(body.expiresAt).toBe('2030-01-01T13:00:00.000Z')
    const decoded = decodeToken(body.token)
    if (decoded.version !== '007') throw new Error('expected 007')
    expect(decoded.services).toEqual([
      { type: 'rtc', channelName: 'room-1', uid: 'alice', privileges: { joinChannel: 3600 } },
    ])
  })

  it('clamps a lifetime above maxExpiresIn to 24 h and says so', async () => {
    const body = await issue({ type: 'rtm', userId: 'alice', expiresIn: '7d' })
    expect(body.clamped).toBe(true)
    expect(body.expiresAt).toBe('2030-01-02T12:00:00.000Z')
    const decoded = decodeToken(body.token)
    if (decoded.version !== '007') throw new Error('expected 007')
    expect(decoded.expire).toBe(86_400)
    expect(decoded.services).toEqual([
      { type: 'rtm', userId: 'alice', privileges: { login: 86_400 } },
    ])
  })

  it('clamps privilegeExpiresIn too', async () => {
    const body = await issue({
      type: 'rtc',
      channelName: 'c',
      uid: 1,
      role: 'publisher',
      expiresIn: 3600,
      privilegeExpiresIn: '2d',
    })
    expect(body.clamped).toBe(true)
    const decoded = decodeToken(body.token)
    if (decoded.version !== '007') throw new Error('expected 007')
    expect(decoded.services[0].privileges).toEqual({
      joinChannel: 86_400,
      publishAudioStream: 86_400,
      publishVideoStream: 86_400,
      publishDataStream: 86_400,
    })
  })

  it.each([
    [{ type: 'rtm', userId: 'bob' }, [{ type: 'rtm', userId: 'bob', privileges: { login: 3600 } }]],
    [
      { type: 'chat', userId: 'bob' },
      [{ type: 'chat', userId: 'bob', privileges: { user: 3600 } }],
    ],
    [{ type: 'chat' }, [{ type: 'chat', userId: '', privileges: { app: 3600 } }]],
    [{ type: 'fpa' }, [{ type: 'fpa', privileges: { login: 0 } }]],
    [
      { type: 'apaas', userId: 'u-1' },
      [{ type: 'apaas', roomUuid: '', userUuid: 'u-1', role: -1, privileges: { user: 3600 } }],
    ],
  ])('issues %j', async (request, services) => {
    const body = await issue(request)
    expect(body.type).toBe(request.type)
    const decoded = verifyToken(body.token, CERT, { currentDate: new Date(NOW) })
    if (decoded.version !== '007') throw new Error('expected 007')
    expect(decoded.services).toEqual(services)
  })

  it.each(['convoai', 'stt'])(
    'issues a %s agent token (RTC + RTM + agent service)',
    async (type) => {
      const body = await issue({ type, channelName: 'room', uid: 7, rtmUserId: 'agent-7' })
      const decoded = verifyToken(body.token, CERT, { currentDate: new Date(NOW) })
      if (decoded.version !== '007') throw new Error('expected 007')
      expect(decoded.services.map((s) => s.type)).toEqual(['rtc', 'rtm', type])
    },
  )

  it('accepts unicode channel names and accounts', async () => {
    const body = await issue({ type: 'rtc', channelName: 'sala-ñ-会议', uid: 'José 🎉' })
    verifyToken(body.token, CERT, {
      currentDate: new Date(NOW),
      require: { service: 'rtc', channelName: 'sala-ñ-会议', uid: 'José 🎉' },
    })
  })

  it('reports every issue to onIssue without the token or the certificate', async () => {
    events.length = 0
    await issue({ type: 'rtc', channelName: 'logged', uid: 9 }, KEY_2)
    expect(events).toEqual([
      {
        type: 'rtc',
        appId: APP_ID,
        channelName: 'logged',
        uid: 9,
        identity: { id: 'api-key:2', kind: 'api-key' },
        route: '/token',
        issuedAt: '2030-01-01T12:00:00.000Z',
        expiresAt: '2030-01-01T13:00:00.000Z',
        clamped: false,
      },
    ])
    expectNoSecret(JSON.stringify(events))
  })

  describe('bad input is a 400 naming the field', () => {
    it.each([
      [{ type: 'video' }, /type/],
      [{}, /type/],
      [{ type: 'rtc', channelName: 123, uid: 1 }, /channelName: expected a string/],
      [{ type: 'rtc', channelName: 'c', uid: 1.5 }, /uid/],
      [{ type: 'rtc', channelName: 'c', uid: true }, /uid/],
      [{ type: 'rtc', channelName: 'c', uid: { $gt: 0 } }, /uid/],
      [{ type: 'rtc', channelName: 'c', uid: 1, role: 1 }, /role/],
      [{ type: 'rtc', channelName: 'c', uid: 1, role: 'admin' }, /role/],
      [{ type: 'rtc', channelName: 'c', uid: 1, expiresIn: -5 }, /expiresIn/],
      [{ type: 'rtc', channelName: 'c', uid: 1, expiresIn: 0 }, /expiresIn/],
      [{ type: 'rtc', channelName: 'c', uid: 1, expiresIn: 'soon' }, /expiresIn/],
      [{ type: 'rtc', channelName: 'c', uid: 1, expiresIn: 1_900_000_000 }, /absolute time/],
      [{ type: 'rtc', channelName: 'c', uid: 1, expiresIn: [60] }, /expiresIn/],
      [{ type: 'rtc', channelName: 'c', uid: 1, expires_in: 60 }, /expires_in.*not a field/],
      [{ type: 'rtc', channelName: 'c', uid: 1, __proto__x: 1 }, /not a field/],
      [JSON.parse('{"type":"rtc","channelName":"c","uid":1,"__proto__":{"a":1}}'), /__proto__/],
      [{ type: 'rtm', channelName: 'c', userId: 'a' }, /channelName.*not a field of rtm/],
      [{ type: 'rtm' }, /userId/],
      [{ type: 'rtc', channelName: 'c' }, /uid/],
      [{ type: 'rtc', uid: 1 }, /channelName/],
      [{ type: 'rtc', channelName: 'c', uid: 'undefined' }, /uid/],
      [{ type: 'rtc', channelName: 'a\uD800b', uid: 1 }, /surrogate/],
      [{ type: 'rtc', channelName: 'x'.repeat(70_000), uid: 1 }, /./],
      [JSON.parse('{"type":"rtc","channelName":"c","uid":1e400}'), /uid/],
      [{ type: 'rtc', channelName: 'c', uid: -1 }, /uid/],
      [{ type: 'rtc', channelName: 'c', uid: 4_294_967_296 }, /uid/],
      [{ type: 'rtc', channelName: 'c', uid: 1, expiresIn: 1e300 }, /expiresIn/],
      [{ type: 'rtc', channelName: { a: { b: { c: [1] } } }, uid: 1 }, /channelName/],
      [{ type: 'RTC', channelName: 'c', uid: 1 }, /type/],
      [{ type: ['rtc'], channelName: 'c', uid: 1 }, /type/],
    ])('%j', async (body, message) => {
      const response = await post(c, '/token', body, KEY_1)
      if (response.status === 413) return // the 70,000-character name is above the body limit
      expect(await expectError(response, 400, 'ERR_INVALID_ARGUMENT')).toMatch(message)
    })

    it.each([
      ['not json', 'ERR_INVALID_JSON'],
      ['', 'ERR_INVALID_JSON'],
      ['{"type":"rtc",', 'ERR_INVALID_JSON'],
      ['[1,2]', 'ERR_INVALID_ARGUMENT'],
      ['"rtc"', 'ERR_INVALID_ARGUMENT'],
      ['null', 'ERR_INVALID_ARGUMENT'],
      ['42', 'ERR_INVALID_ARGUMENT'],
    ])('body %j', async (body, code) => {
      await expectError(await post(c, '/token', body, KEY_1), 400, code)
    })

    it('deeply nested JSON within the limit is refused, not a crash', async () => {
      const deep = `{"type":"rtc","channelName":"c","uid":${'['.repeat(5000)}${']'.repeat(5000)}}`
      await expectError(await post(c, '/token', deep, KEY_1), 400, 'ERR_INVALID_ARGUMENT')
    })
  })

  it('refuses a body above 16 KiB with 413', async () => {
    const big = JSON.stringify({ type: 'rtc', channelName: 'x'.repeat(17_000), uid: 1 })
    await expectError(await post(c, '/token', big, KEY_1), 413, 'ERR_BODY_TOO_LARGE')
  })

  it('refuses a huge streamed body (no Content-Length) with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 256) controller.close()
        else controller.enqueue(chunk)
      },
    })
    // A server of its own: it answers before the upload ends and drops that connection.
    const own = await client(transport, { appId: APP_ID, appCertificate: CERT, apiKeys: [KEY_1] })
    try {
      const response = await own.request('/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY_1}` },
        body,
        duplex: 'half',
      } as RequestInit)
      await expectError(response, 413, 'ERR_BODY_TOO_LARGE')
    } finally {
      await own.close()
    }
  })

  it('refuses a body longer than its Content-Length claimed, when it reaches the handler', async () => {
    if (transport === 'http') return // Node's HTTP parser already holds a body to its length
    const body = JSON.stringify({ type: 'rtc', channelName: 'é'.repeat(9000), uid: 1 })
    const response = await c.request('/token', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': '20',
        Authorization: `Bearer ${KEY_1}`,
      },
      body,
    })
    await expectError(response, 413, 'ERR_BODY_TOO_LARGE')
  })

  it.each([
    ['text/plain', '{"type":"fpa"}'],
    ['application/x-www-form-urlencoded', 'type=fpa'],
    ['application/jsonp', '{"type":"fpa"}'],
    [undefined, '{"type":"fpa"}'],
  ])('refuses Content-Type %s with 415', async (type, body) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${KEY_1}` }
    if (type) headers['Content-Type'] = type
    const response = await c.request('/token', { method: 'POST', headers, body })
    if (type === undefined && response.status !== 415) {
      // fetch labels a string body text/plain when no type is given: that is a 415 as well.
      expect(response.status).toBe(415)
    }
    await expectError(response, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE')
  })

  it('accepts application/json with a charset', async () => {
    const response = await c.request('/token', {
      method: 'POST',
      headers: {
        'Content-Type': 'Application/JSON; charset=utf-8',
        Authorization: `Bearer ${KEY_1}`,
      },
      body: '{"type":"fpa"}',
    })
    expect(response.status).toBe(200)
  })

  it('never puts the certificate or a key in any answer', async () => {
    const bodies = [
      { type: 'rtc', channelName: 'c', uid: 1 },
      { type: 'bad' },
      { type: 'rtc', channelName: CERT, uid: 1, extra: KEY_2 },
    ]
    for (const body of bodies) {
      for (const key of [KEY_1, 'wrong-key-wrong-key-wrong', undefined]) {
        const response = await post(c, '/token', body, key)
        const text = await response.text()
        const headers = JSON.stringify([...response.headers])
        expectNoSecret(headers)
        // The certificate as a channel name is echoed nowhere either (the error is about `extra`).
        expectNoSecret(text.replace(/"token":"[^"]+"/, ''), [KEY_1, KEY_2])
        expect(text.toLowerCase()).not.toContain(CERT)
      }
    }
  })
})
