// Caller authentication over both transports: API keys, HMAC JWTs, JWTs checked against a JWKS
// served by a real loopback server, a custom authenticate, and anonymous access.
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyToken } from '../../src/index.js'
import { apiKeyMatcher } from '../../src/server/auth.js'
import {
  APP_ID,
  CERT,
  client,
  expectError,
  expectNoSecret,
  KEY_1,
  KEY_2,
  listen,
  post,
  TRANSPORTS,
} from './helpers.js'

const RTC = { type: 'rtc', channelName: 'room', uid: 5 }
const SECRET = 'an-hmac-secret-of-at-least-32-bytes!!'

async function hmacJwt(claims: Record<string, unknown>, secret = SECRET, expiresIn = '5m') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret))
}

describe('apiKeyMatcher', () => {
  it('finds the position of the matching key, 0 for none, whatever the lengths', async () => {
    const match = apiKeyMatcher([KEY_1, KEY_2])
    expect(match(KEY_1)).toBe(1)
    expect(match(KEY_2)).toBe(2)
    expect(match(KEY_1.slice(0, -1))).toBe(0)
    expect(match(`${KEY_1}x`)).toBe(0)
    expect(match('')).toBe(0)
    expect(match(KEY_1.toUpperCase())).toBe(0)
  })
})

describe.each(TRANSPORTS)('API keys (%s)', (transport) => {
  it('accepts every configured key and refuses the rest with 401 + WWW-Authenticate', async () => {
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1, KEY_2],
    })
    try {
      expect((await post(c, '/token', RTC, KEY_1)).status).toBe(200)
      expect((await post(c, '/token', RTC, KEY_2)).status).toBe(200)
      const cases: [Record<string, string>, RegExp][] = [
        [{}, /^Bearer realm="token007"$/],
        [{ Authorization: `Bearer ${KEY_1}x` }, /error="invalid_token"/],
        [{ Authorization: `Basic ${btoa(`user:${KEY_1}`)}` }, /error="invalid_token"/],
        [{ Authorization: KEY_1 }, /error="invalid_token"/],
        [{ Authorization: 'Bearer ' }, /error="invalid_token"/],
        [{ Authorization: 'Bearer a b c' }, /error="invalid_token"/],
        [{ Authorization: 'Bearer cl\u00e9-\u00e9' }, /error="invalid_token"/],
      ]
      for (const [headers, challenge] of cases) {
        const response = await c.request('/token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: JSON.stringify(RTC),
        })
        expect(response.headers.get('www-authenticate')).toMatch(challenge)
        const message = await expectError(response, 401, 'ERR_UNAUTHENTICATED')
        expectNoSecret(message)
      }
    } finally {
      await c.close()
    }
  })
})

describe.each(TRANSPORTS)('JWT with a shared secret (%s)', (transport) => {
  it('issues for the subject; refuses bad signatures, expired, wrong issuer/audience, no sub', async () => {
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      jwt: { secret: SECRET, issuer: 'https://auth.example', audience: 'agora' },
    })
    try {
      const good = await hmacJwt({ sub: 'user-42', iss: 'https://auth.example', aud: 'agora' })
      const response = await post(c, '/token', { type: 'rtc', channelName: 'room' }, good)
      const body = await response.json()
      expect(response.status).toBe(200)
      expect(body.uid).toBe('user-42')
      verifyToken(body.token, CERT, {
        require: { service: 'rtc', channelName: 'room', uid: 'user-42' },
      })

      const refused = [
        await hmacJwt({ sub: 'u', iss: 'https://auth.example', aud: 'agora' }, `${SECRET}-other`),
        await hmacJwt({ sub: 'u', iss: 'https://evil.example', aud: 'agora' }),
        await hmacJwt({ sub: 'u', iss: 'https://auth.example', aud: 'other' }),
        await hmacJwt({ iss: 'https://auth.example', aud: 'agora' }),
        await hmacJwt({ sub: 'u', iss: 'https://auth.example', aud: 'agora' }, SECRET, '-2h'),
        `${good.split('.').slice(0, 2).join('.')}.`,
        'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.',
      ]
      for (const jwt of refused) {
        const r = await post(c, '/token', RTC, jwt)
        expect(r.headers.get('www-authenticate')).toMatch(/Bearer/)
        expectNoSecret(await expectError(r, 401, 'ERR_UNAUTHENTICATED'), [SECRET, jwt])
      }
    } finally {
      await c.close()
    }
  })
})

describe('JWT with a JWKS served on loopback', () => {
  let jwks: { origin: string; close: () => Promise<void> }
  let requests = 0
  let keys: Awaited<ReturnType<typeof generateKeyPair>>
  let available = true
  beforeAll(async () => {
    keys = await generateKeyPair('ES256')
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
    jwks = await listen(async () => {
      requests += 1
      if (!available) return new Response('down', { status: 503 })
      return Response.json({ keys: [jwk] })
    })
  })
  afterAll(() => jwks.close())

  const sign = (claims: Record<string, unknown>, key = keys.privateKey, kid = 'k1') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key)

  it.each(TRANSPORTS)('exchanges a provider JWT for a token, and fails closed (%s)', async (t) => {
    available = true
    const c = await client(t, {
      appId: APP_ID,
      appCertificate: CERT,
      jwt: { jwksUrl: `${jwks.origin}/.well-known/jwks.json`, audience: 'agora' },
    })
    try {
      const jwt = await sign({ sub: 'clerk_user_1', aud: 'agora' })
      const response = await post(c, '/token', { type: 'rtm' }, jwt)
      expect(response.status).toBe(200)
      expect((await response.json()).userId).toBe('clerk_user_1')
      expect(requests).toBeGreaterThan(0)

      const other = await generateKeyPair('ES256')
      const forged = await sign({ sub: 'clerk_user_1', aud: 'agora' }, other.privateKey)
      await expectError(
        await post(c, '/token', { type: 'rtm' }, forged),
        401,
        'ERR_UNAUTHENTICATED',
      )

      // An unknown key id within the refetch cooldown (30 s after a fetch) is simply refused.
      available = false
      const unknownKid = await sign({ sub: 'clerk_user_1', aud: 'agora' }, other.privateKey, 'k9')
      await expectError(
        await post(c, '/token', { type: 'rtm' }, unknownKid),
        401,
        'ERR_UNAUTHENTICATED',
      )
    } finally {
      available = true
      await c.close()
    }
  })

  it('answers 503 when the JWKS cannot be fetched at all', async () => {
    available = false
    const c = await client('in-process', {
      appId: APP_ID,
      appCertificate: CERT,
      jwt: { jwksUrl: `${jwks.origin}/jwks.json` },
    })
    try {
      const jwt = await sign({ sub: 'u1' })
      await expectError(await post(c, '/token', { type: 'rtm' }, jwt), 503, 'ERR_UNAVAILABLE')
    } finally {
      available = true
    }
  })
})

describe.each(TRANSPORTS)('custom authenticate and anonymous access (%s)', (transport) => {
  it('uses the identity authenticate returns, 401 on null, 503 when it throws', async () => {
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      authenticate: (request) => {
        const cookie = request.headers.get('cookie') ?? ''
        if (cookie.includes('explode')) throw new Error(`db down ${CERT}`)
        const user = /session=(\w+)/.exec(cookie)?.[1]
        return user ? { id: `session:${user}`, subject: user } : null
      },
    })
    try {
      const ok = await c.request('/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: 'session=ann' },
        body: JSON.stringify({ type: 'chat' }),
      })
      expect(ok.status).toBe(200)
      expect((await ok.json()).userId).toBe('ann')
      const none = await post(c, '/token', { type: 'chat' })
      expect(none.headers.get('www-authenticate')).toMatch(/Bearer/)
      await expectError(none, 401, 'ERR_UNAUTHENTICATED')
      const boom = await c.request('/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: 'explode=1' },
        body: JSON.stringify({ type: 'chat' }),
      })
      expectNoSecret(await expectError(boom, 503, 'ERR_UNAVAILABLE'))
    } finally {
      await c.close()
    }
  })

  it('serves callers without credentials only with allowAnonymous', async () => {
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      allowAnonymous: true,
      apiKeys: [KEY_1],
    })
    try {
      expect((await post(c, '/token', RTC)).status).toBe(200)
      // A credential that is given must still be right.
      await expectError(await post(c, '/token', RTC, `${KEY_1}-no`), 401, 'ERR_UNAUTHENTICATED')
    } finally {
      await c.close()
    }
  })
})
