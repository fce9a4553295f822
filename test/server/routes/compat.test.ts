// The agora-token-service routes over both transports: same paths and response fields, behind
// authentication and the lifetime cap.
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyToken } from '../../../src/index.js'
import {
  APP_ID,
  CERT,
  type Client,
  client,
  expectError,
  KEY_1,
  post,
  TRANSPORTS,
} from '../helpers.js'

const NOW = Date.UTC(2030, 0, 1)
const auth = { headers: { Authorization: `Bearer ${KEY_1}` } }

function services(token: string) {
  const decoded = verifyToken(token, CERT, { currentDate: new Date(NOW), appId: APP_ID })
  if (decoded.version !== '007') throw new Error('expected 007')
  return { expire: decoded.expire, services: decoded.services }
}

describe.each(TRANSPORTS)('agora-token-service routes (%s)', (transport) => {
  let c: Client
  beforeAll(async () => {
    c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      now: () => NOW,
    })
  })
  afterAll(() => c.close())

  async function ok(path: string, init: RequestInit = auth) {
    const r = await c.request(path, init)
    const text = await r.text()
    expect(r.status, text).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    return JSON.parse(text)
  }

  it('GET /rtc/:channelName/:role/uid/:uid → { rtcToken } for an integer uid', async () => {
    const body = await ok('/rtc/room-1/publisher/uid/42?expiry=600')
    expect(Object.keys(body)).toEqual(['rtcToken'])
    expect(services(body.rtcToken)).toEqual({
      expire: 600,
      services: [
        {
          type: 'rtc',
          channelName: 'room-1',
          uid: '42',
          privileges: {
            joinChannel: 600,
            publishAudioStream: 600,
            publishVideoStream: 600,
            publishDataStream: 600,
          },
        },
      ],
    })
  })

  it('GET /rtc/…/userAccount/:uid → an account token; subscriber joins only', async () => {
    const body = await ok('/rtc/room-1/subscriber/userAccount/J%C3%BCrgen')
    expect(services(body.rtcToken).services).toEqual([
      { type: 'rtc', channelName: 'room-1', uid: 'Jürgen', privileges: { joinChannel: 3600 } },
    ])
  })

  it('caps ?expiry at maxExpiresIn', async () => {
    const body = await ok('/rtc/room-1/subscriber/uid/0?expiry=999999')
    expect(services(body.rtcToken).expire).toBe(86_400)
  })

  it('GET /rtm/:uid → { rtmToken }', async () => {
    const body = await ok('/rtm/alice?expireTime=120')
    expect(Object.keys(body)).toEqual(['rtmToken'])
    expect(services(body.rtmToken).services).toEqual([
      { type: 'rtm', userId: 'alice', privileges: { login: 120 } },
    ])
  })

  it('GET /chat/app and /chat/account/:uid → { chatToken }', async () => {
    const app = await ok('/chat/app')
    expect(services(app.chatToken).services).toEqual([
      { type: 'chat', userId: '', privileges: { app: 3600 } },
    ])
    const user = await ok('/chat/account/bob')
    expect(services(user.chatToken).services).toEqual([
      { type: 'chat', userId: 'bob', privileges: { user: 3600 } },
    ])
  })

  it('POST /getToken for rtc (decimal uid → integer uid), rtm and chat', async () => {
    const rtc = await (
      await post(
        c,
        '/getToken',
        { tokenType: 'rtc', channel: 'c', uid: '7', role: 'publisher', expire: 60 },
        KEY_1,
      )
    ).json()
    expect(services(rtc.rtcToken).services[0]).toMatchObject({ channelName: 'c', uid: '7' })
    const account = await (
      await post(c, '/getToken', { tokenType: 'rtc', channel: 'c', uid: 'user123' }, KEY_1)
    ).json()
    expect(services(account.rtcToken).services[0]).toEqual({
      type: 'rtc',
      channelName: 'c',
      uid: 'user123',
      privileges: { joinChannel: 3600 },
    })
    const rtm = await (await post(c, '/getToken', { tokenType: 'rtm', uid: 'u1' }, KEY_1)).json()
    expect(Object.keys(rtm)).toEqual(['rtmToken'])
    const chat = await (await post(c, '/getToken', { tokenType: 'chat' }, KEY_1)).json()
    expect(services(chat.chatToken).services[0]).toMatchObject({
      userId: '',
      privileges: { app: 3600 },
    })
  })

  it.each([
    ['/rtc/room/publisher/uid/42', undefined, 401, 'ERR_UNAUTHENTICATED'],
    ['/rtc/room/publisher/uid/alice', auth, 400, 'ERR_INVALID_ARGUMENT'],
    ['/rtc/room/publisher/uid/4294967296', auth, 400, 'ERR_INVALID_ARGUMENT'],
    ['/rtc/room/admin/uid/42', auth, 400, 'ERR_INVALID_ARGUMENT'],
    ['/rtc/room/publisher/account/42', auth, 400, 'ERR_INVALID_ARGUMENT'],
    ['/rtc/room/publisher/uid/42?expiry=-1', auth, 400, 'ERR_INVALID_ARGUMENT'],
    ['/rtc/room/publisher/uid/42?expiry=1h', auth, 400, 'ERR_INVALID_ARGUMENT'],
    ['/rtm/undefined', auth, 400, 'ERR_INVALID_ARGUMENT'],
    ['/chat/app', undefined, 401, 'ERR_UNAUTHENTICATED'],
  ])('GET %s → %i', async (path, init, status, code) => {
    await expectError(await c.request(path, init), status, code)
  })

  it.each([
    [{ tokenType: 'fpa' }],
    [{ tokenType: 'rtc', uid: '1' }],
    [{ tokenType: 'rtc', channel: 5, uid: '1' }],
    [{ tokenType: 'rtc', channel: 'c', uid: 1 }],
    [{ tokenType: 'rtc', channel: 'c', uid: '1', expire: '3600' }],
    [{ tokenType: 'rtm' }],
  ])('POST /getToken %j → 400', async (body) => {
    await expectError(await post(c, '/getToken', body, KEY_1), 400, 'ERR_INVALID_ARGUMENT')
  })
})

describe.each(TRANSPORTS)('agora-token-service routes with a JWT caller (%s)', (transport) => {
  it('serves the subject its own tokens only; no app tokens', async () => {
    const secret = 'an-hmac-secret-of-at-least-32-bytes!!'
    const c = await client(transport, { appId: APP_ID, appCertificate: CERT, jwt: { secret } })
    try {
      const jwt = await new SignJWT({ sub: 'ann' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret))
      const init = { headers: { Authorization: `Bearer ${jwt}` } }
      expect((await c.request('/rtm/ann', init)).status).toBe(200)
      expect((await c.request('/chat/account/ann', init)).status).toBe(200)
      expect((await c.request('/rtc/room/publisher/userAccount/ann', init)).status).toBe(200)
      for (const path of [
        '/rtm/bob',
        '/chat/app',
        '/rtc/room/publisher/uid/0',
        '/rtc/r/publisher/userAccount/bob',
      ]) {
        await expectError(await c.request(path, init), 403, 'ERR_FORBIDDEN')
      }
    } finally {
      await c.close()
    }
  })
})
