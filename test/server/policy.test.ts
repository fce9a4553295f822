// Who gets which token: a JWT caller only for its own subject, unless authorize decides.
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { verifyToken } from '../../src/index.js'
import { APP_ID, CERT, client, expectError, KEY_1, post, TRANSPORTS } from './helpers.js'

const SECRET = 'an-hmac-secret-of-at-least-32-bytes!!'
const jwtFor = (sub: string, claims: Record<string, unknown> = {}) =>
  new SignJWT({ sub, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET))

describe.each(TRANSPORTS)('policy (%s)', (transport) => {
  it('fills the subject in and refuses other users, user-less tokens', async () => {
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      jwt: { secret: SECRET },
    })
    try {
      const ann = await jwtFor('ann')
      const rtc = await (await post(c, '/token', { type: 'rtc', channelName: 'r' }, ann)).json()
      expect(rtc.uid).toBe('ann')
      const same = await post(c, '/token', { type: 'rtc', channelName: 'r', uid: 'ann' }, ann)
      expect(same.status).toBe(200)
      for (const body of [
        { type: 'rtc', channelName: 'r', uid: 'bob' },
        { type: 'rtc', channelName: 'r', uid: 0 },
        { type: 'rtc', channelName: 'r', rtmUserId: 'bob' },
        { type: 'rtm', userId: 'bob' },
        { type: 'chat', userId: 'bob' },
        { type: 'fpa' },
      ]) {
        await expectError(await post(c, '/token', body, ann), 403, 'ERR_FORBIDDEN')
      }
      // A numeric subject may be asked for as the integer uid.
      const numeric = await post(
        c,
        '/token',
        { type: 'rtc', channelName: 'r', uid: 42 },
        await jwtFor('42'),
      )
      expect((await numeric.json()).uid).toBe(42)
      // Chat without userId is a user token for the subject, never an app token.
      const chat = await (await post(c, '/token', { type: 'chat' }, ann)).json()
      expect(chat.userId).toBe('ann')
      const decoded = verifyToken(chat.token, CERT)
      if (decoded.version !== '007') throw new Error('expected 007')
      expect(decoded.services).toEqual([
        { type: 'chat', userId: 'ann', privileges: { user: 3600 } },
      ])
    } finally {
      await c.close()
    }
  })

  it('lets authorize decide (only hosts publish), with the request filled in', async () => {
    const seen: unknown[] = []
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      jwt: { secret: SECRET },
      apiKeys: [KEY_1],
      authorize: (identity, request) => {
        seen.push({ id: identity.id, request })
        if (identity.kind === 'api-key') return true
        const host = identity.claims?.role === 'host'
        return request.type === 'rtc' && (request.role !== 'publisher' || host)
      },
    })
    try {
      const host = await jwtFor('h', { role: 'host' })
      const guest = await jwtFor('g')
      const pub = { type: 'rtc', channelName: 'stage', role: 'publisher' }
      expect((await post(c, '/token', pub, host)).status).toBe(200)
      await expectError(await post(c, '/token', pub, guest), 403, 'ERR_FORBIDDEN')
      expect((await post(c, '/token', { ...pub, role: 'subscriber' }, guest)).status).toBe(200)
      // authorize may allow another uid than the subject.
      const other = await post(c, '/token', { ...pub, uid: 99 }, host)
      expect((await other.json()).uid).toBe(99)
      expect(seen[0]).toEqual({
        id: 'jwt:h',
        request: { type: 'rtc', channelName: 'stage', role: 'publisher', uid: 'h' },
      })
      expect((await post(c, '/token', { type: 'fpa' }, KEY_1)).status).toBe(200)
    } finally {
      await c.close()
    }
  })

  it('fails closed with 503 when authorize throws', async () => {
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      authorize: () => {
        throw new Error('policy db down')
      },
    })
    try {
      const message = await expectError(
        await post(c, '/token', { type: 'fpa' }, KEY_1),
        503,
        'ERR_UNAVAILABLE',
      )
      expect(message).not.toContain('policy db')
    } finally {
      await c.close()
    }
  })
})
