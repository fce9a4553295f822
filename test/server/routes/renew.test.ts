// POST /renew over both transports: a valid token comes back renewed with the same grants (decoded
// and compared, also for a token agora-token built), and a revoked, expired, forged, foreign-app,
// 006 or someone else's token is refused with a clear code; an unreachable registry is a 503.
import { RtcRole as AgoraRtcRole, RtcTokenBuilder as AgoraRtc } from 'agora-token'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DecodedToken007,
  decodeToken,
  legacy,
  RegistryUnavailable,
  rtcToken,
  tokenId,
  verifyToken,
} from '../../../src/index.js'
import { createMemoryRegistry, type TokenRegistry } from '../../../src/registry/index.js'
import type { IssueEvent } from '../../../src/server/index.js'
import {
  APP_ID,
  CERT,
  type Client,
  client,
  expectError,
  expectNoSecret,
  KEY_1,
  post,
  TRANSPORTS,
} from '../helpers.js'

const ADMIN = 'admin-dddddddddddddddddddddddddddddddd'
const SECRET = 'an-hmac-secret-of-at-least-32-bytes!!'
const OTHER_APP = '0123456789abcdef0123456789abcdef'
const OTHER_CERT = 'fedcba9876543210fedcba9876543210'

const jwtFor = (sub: string) =>
  new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET))

/** A token's grants with lifetimes written relative to its own: 'token' where they are equal. */
function grants(token: string) {
  const decoded = decodeToken(token, { version: '007' }) as DecodedToken007
  return decoded.services.map((service) => ({
    ...service,
    privileges: Object.fromEntries(
      Object.entries(service.privileges).map(([name, value]) => [
        name,
        value === decoded.expire ? 'token' : value,
      ]),
    ),
  }))
}

/** A registry whose store can be switched off: every call then fails as an unreachable one. */
function switchableRegistry(inner: TokenRegistry): TokenRegistry & { down: boolean } {
  const registry = {
    down: false,
    maxTokenLifetime: inner.maxTokenLifetime,
    clockTolerance: inner.clockTolerance,
  } as TokenRegistry & { down: boolean }
  for (const method of ['record', 'get', 'list', 'revoke', 'isRevoked', 'getRevocation'] as const) {
    ;(registry as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      if (registry.down) return Promise.reject(new RegistryUnavailable('test store: switched off'))
      return (inner[method] as (...a: unknown[]) => Promise<unknown>)(...args)
    }
  }
  registry.close = () => inner.close()
  return registry
}

describe.each(TRANSPORTS)('POST /renew (%s)', (transport) => {
  let c: Client
  let registry: TokenRegistry & { down: boolean }
  let now = Math.floor(Date.now() / 1000) * 1000
  const events: IssueEvent[] = []
  const texts: string[] = []

  beforeAll(async () => {
    registry = switchableRegistry(createMemoryRegistry({ now: () => now }))
    c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      adminApiKeys: [ADMIN],
      jwt: { secret: SECRET },
      registry,
      maxExpiresIn: '2h',
      now: () => now,
      onIssue: (event) => void events.push(event),
    })
  })
  afterAll(() => c.close())

  async function ok(path: string, body: unknown, key: string = KEY_1) {
    const response = await post(c, path, body, key)
    const text = await response.text()
    expect(response.status, text).toBe(200)
    texts.push(text)
    return JSON.parse(text)
  }

  it('renews an rtc publisher token: the same grants, a new id, recorded with renewedFrom', async () => {
    const old = await ok('/token', {
      type: 'rtc',
      channelName: 'stage',
      uid: 42,
      role: 'publisher',
      rtmUserId: 'cam-42',
      expiresIn: '30m',
      tags: ['studio'],
    })
    now += 600_000
    const renewed = await ok('/renew', { token: old.token })
    expect(renewed).toEqual({
      token: expect.stringMatching(/^007/),
      type: 'rtc',
      appId: APP_ID,
      channelName: 'stage',
      uid: '42',
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 1_800_000).toISOString(),
      clamped: false,
      id: tokenId(renewed.token),
      renewedFrom: old.id,
    })
    expect(renewed.id).not.toBe(old.id)
    expect(grants(renewed.token)).toEqual(grants(old.token))
    const verified = verifyToken(renewed.token, CERT, { appId: APP_ID, currentDate: new Date(now) })
    expect(verified.version === '007' && verified.expire).toBe(1800)
    expect(await registry.get(renewed.id)).toMatchObject({
      id: renewed.id,
      type: 'rtc',
      channelName: 'stage',
      uid: '42',
      userId: 'cam-42',
      issuedTo: 'api-key:1',
      renewedFrom: old.id,
    })
    // The admin view shows the link too.
    const entry = await (
      await c.request(`/tokens/${renewed.id}`, { headers: { Authorization: `Bearer ${ADMIN}` } })
    ).json()
    expect(entry.renewedFrom).toBe(old.id)
    expect(events.at(-1)).toMatchObject({ route: '/renew', renewedFrom: old.id, uid: '42' })
  })

  it.each([
    [{ type: 'rtc', channelName: 'r', uid: 0, role: 'subscriber', privilegeExpiresIn: '10m' }],
    [{ type: 'rtm', userId: 'alice' }],
    [{ type: 'chat', userId: 'alice' }],
    [{ type: 'chat' }],
    [{ type: 'apaas', userId: 'u-1' }],
    [{ type: 'apaas' }],
    [{ type: 'fpa' }],
    [{ type: 'convoai', channelName: 'r', uid: 7, role: 'publisher', rtmUserId: 'agent' }],
    [{ type: 'stt', channelName: 'r', uid: 8, role: 'subscriber', rtmUserId: 'stt-bot' }],
  ])('renews %j into the same grants', async (body) => {
    const old = await ok('/token', body)
    now += 1000
    const renewed = await ok('/renew', { token: old.token })
    expect(renewed.type).toBe(body.type)
    expect(grants(renewed.token)).toEqual(grants(old.token))
    expect(renewed.renewedFrom).toBe(old.id)
  })

  it('renews a token agora-token built with this app certificate into the same grants', async () => {
    now = Date.now()
    const built = AgoraRtc.buildTokenWithUid(
      APP_ID,
      CERT,
      'oracle',
      99,
      AgoraRtcRole.PUBLISHER,
      900,
      900,
    )
    const renewed = await ok('/renew', { token: built })
    expect(grants(renewed.token)).toEqual(grants(built))
    expect(renewed).toMatchObject({ uid: '99', channelName: 'oracle', renewedFrom: tokenId(built) })
    expect(new Date(renewed.expiresAt).getTime() - new Date(renewed.issuedAt).getTime()).toBe(
      900_000,
    )
  })

  it('lifetime: the requested one, or the original, clamped by maxExpiresIn', async () => {
    const old = await ok('/token', { type: 'rtm', userId: 'life', expiresIn: '90m' })
    const asked = await ok('/renew', { token: old.token, expiresIn: '10m' })
    expect(Date.parse(asked.expiresAt) - Date.parse(asked.issuedAt)).toBe(600_000)
    const original = await ok('/renew', { token: old.token })
    expect(Date.parse(original.expiresAt) - Date.parse(original.issuedAt)).toBe(5_400_000)
    const clamped = await ok('/renew', { token: old.token, expiresIn: '5h' })
    expect(clamped.clamped).toBe(true)
    expect(Date.parse(clamped.expiresAt) - Date.parse(clamped.issuedAt)).toBe(7_200_000)
    await expectError(
      await post(c, '/renew', { token: old.token, expiresIn: 0 }, KEY_1),
      400,
      'ERR_INVALID_ARGUMENT',
    )
    await expectError(
      await post(c, '/renew', { token: old.token, expiresIn: [1] }, KEY_1),
      400,
      'ERR_INVALID_ARGUMENT',
    )
  })

  it('a revoked token is refused with 403 ERR_TOKEN_REVOKED, also by a bulk revocation', async () => {
    const old = await ok('/token', { type: 'rtm', userId: 'revoked-user' })
    await registry.revoke(old.id, 'lost phone')
    const message = await expectError(
      await post(c, '/renew', { token: old.token }, KEY_1),
      403,
      'ERR_TOKEN_REVOKED',
    )
    expect(message).toMatch(/lost phone/)
    expect(message).not.toContain(old.token)
    const other = await ok('/token', { type: 'rtm', userId: 'bulk-renew' })
    now += 1000
    await registry.revoke({ userId: 'bulk-renew', issuedBefore: new Date(now) })
    await expectError(
      await post(c, '/renew', { token: other.token }, KEY_1),
      403,
      'ERR_TOKEN_REVOKED',
    )
  })

  it('an expired token is refused with 400 ERR_TOKEN_EXPIRED (no grace by default)', async () => {
    const old = await ok('/token', { type: 'rtm', userId: 'late', expiresIn: 60 })
    now += 60_000
    const message = await expectError(
      await post(c, '/renew', { token: old.token }, KEY_1),
      400,
      'ERR_TOKEN_EXPIRED',
    )
    expect(message).toMatch(/POST \/token/)
  })

  it('forged, tampered, foreign-app and 006 tokens are 400 with the check that failed', async () => {
    now = Date.now()
    const forged = AgoraRtc.buildTokenWithUid(
      APP_ID,
      OTHER_CERT,
      'r',
      1,
      AgoraRtcRole.PUBLISHER,
      600,
      600,
    )
    const foreign = AgoraRtc.buildTokenWithUid(
      OTHER_APP,
      OTHER_CERT,
      'r',
      1,
      AgoraRtcRole.PUBLISHER,
      600,
      600,
    )
    const { token } = await ok('/token', { type: 'rtm', userId: 'tamper' })
    const tampered = `${token.slice(0, 40)}${token[40] === 'A' ? 'B' : 'A'}${token.slice(41)}`
    const cases: [string, string][] = [
      [forged, 'ERR_TOKEN_SIGNATURE'],
      [foreign, 'ERR_TOKEN_SIGNATURE'],
      [
        rtcToken({
          appId: OTHER_APP,
          appCertificate: CERT,
          channelName: 'r',
          uid: 1,
          role: 'publisher',
        }),
        'ERR_TOKEN_CLAIM',
      ],
      // Damage inside the services: the structure or the signature check refuses it.
      [tampered, 'ERR_TOKEN_'],
      ['007garbage', 'ERR_TOKEN_MALFORMED'],
    ]
    for (const [presented, code] of cases) {
      const response = await post(c, '/renew', { token: presented }, KEY_1)
      const text = await response.text()
      expect(response.status, text).toBe(400)
      expect(JSON.parse(text).error.code.startsWith(code)).toBe(true)
      expect(text).not.toContain(presented)
      expect(response.headers.get('www-authenticate')).toBeNull()
    }
    const token006 = legacy.RtcTokenBuilder.buildTokenWithUid(
      APP_ID,
      CERT,
      'r',
      1,
      legacy.RtcRole.PUBLISHER,
      Math.floor(now / 1000) + 600,
    )
    expect(token006.startsWith('006')).toBe(true)
    const message = await expectError(
      await post(c, '/renew', { token: token006 }, KEY_1),
      400,
      'ERR_TOKEN_VERSION',
    )
    expect(message).toMatch(/only 007 tokens can be renewed/)
    const other = await expectError(
      await post(c, '/renew', { token: 'xyz-not-a-token' }, KEY_1),
      400,
      'ERR_TOKEN_VERSION',
    )
    expect(other).toMatch(/expected "007"/)
  })

  it('a JWT caller renews its own token only: another user is 403', async () => {
    const ann = await jwtFor('ann')
    const own = await ok('/token', { type: 'rtc', channelName: 'r' }, ann)
    const renewed = await ok('/renew', { token: own.token }, ann)
    expect(renewed).toMatchObject({ uid: 'ann', renewedFrom: own.id })
    const bobs = await ok('/token', { type: 'rtm', userId: 'bob' })
    await expectError(await post(c, '/renew', { token: bobs.token }, ann), 403, 'ERR_FORBIDDEN')
    // A token tied to no user is refused too: the subject is not filled in on renewal.
    const app = await ok('/token', { type: 'chat' })
    await expectError(await post(c, '/renew', { token: app.token }, ann), 403, 'ERR_FORBIDDEN')
  })

  it('needs a caller, JSON, and known fields', async () => {
    const { token } = await ok('/token', { type: 'fpa' })
    await expectError(await post(c, '/renew', { token }), 401, 'ERR_UNAUTHENTICATED')
    await expectError(
      await post(c, '/renew', { token, type: 'rtc' }, KEY_1),
      400,
      'ERR_INVALID_ARGUMENT',
    )
    await expectError(await post(c, '/renew', { token: 42 }, KEY_1), 400, 'ERR_INVALID_ARGUMENT')
    await expectError(
      await c.request('/renew', {
        method: 'POST',
        headers: { Authorization: `Bearer ${KEY_1}` },
        body: token,
      }),
      415,
      'ERR_UNSUPPORTED_MEDIA_TYPE',
    )
    await expectError(
      await c.request('/renew', { headers: { Authorization: `Bearer ${KEY_1}` } }),
      405,
      'ERR_METHOD_NOT_ALLOWED',
    )
  })

  it('registry down: 503 ERR_REGISTRY_UNAVAILABLE, no token; renews again when it is back', async () => {
    const { token } = await ok('/token', { type: 'rtm', userId: 'fault' })
    registry.down = true
    try {
      const response = await post(c, '/renew', { token }, KEY_1)
      const text = await response.text()
      expect(response.status, text).toBe(503)
      expect(JSON.parse(text).error.code).toBe('ERR_REGISTRY_UNAVAILABLE')
      expect(response.headers.get('retry-after')).toBe('1')
      expect(text).not.toContain('"token"')
    } finally {
      registry.down = false
    }
    expect((await ok('/renew', { token })).renewedFrom).toBe(tokenId(token))
  })

  it('no token text, certificate or key in any response error or event', () => {
    const all = JSON.stringify(events)
    expectNoSecret(all, [CERT, KEY_1, ADMIN])
    for (const text of texts) {
      const { token } = JSON.parse(text)
      if (typeof token === 'string') expect(all).not.toContain(token)
      expectNoSecret(text, [CERT, KEY_1, ADMIN])
    }
  })
})

describe('renewGrace and failOpen', () => {
  it('renewGrace renews a token expired within it, not later; it is capped by the registry', async () => {
    let now = Math.floor(Date.now() / 1000) * 1000
    const registry = createMemoryRegistry({ now: () => now, clockTolerance: 60 })
    const c = await client('in-process', {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      registry,
      renewGrace: '30s',
      now: () => now,
    })
    const old = await (
      await post(c, '/token', { type: 'rtm', userId: 'g', expiresIn: 60 }, KEY_1)
    ).json()
    now += 80_000
    const renewed = await post(c, '/renew', { token: old.token }, KEY_1)
    expect(renewed.status).toBe(200)
    now += 20_000
    const message = await expectError(
      await post(c, '/renew', { token: old.token }, KEY_1),
      400,
      'ERR_TOKEN_EXPIRED',
    )
    expect(message).toMatch(/more than 30 s ago/)
    const { createTokenServer } = await import('../../../src/server/index.js')
    const base = { appId: APP_ID, appCertificate: CERT, apiKeys: [KEY_1] }
    expect(() => createTokenServer({ ...base, renewGrace: '2m' })).toThrow(
      /renewGrace: expected at most the registry's clockTolerance \(60 s\)/,
    )
    expect(() => createTokenServer({ ...base, renewGrace: 'soon' as never })).toThrow(/renewGrace/)
  })

  it('failOpen renews while the registry is down, saying the revocation was not checked', async () => {
    const registry = switchableRegistry(createMemoryRegistry())
    const c = await client('in-process', {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      registry,
      failOpen: true,
    })
    const { token } = await (await post(c, '/token', { type: 'rtm', userId: 'open' }, KEY_1)).json()
    registry.down = true
    const response = await post(c, '/renew', { token }, KEY_1)
    const body = await response.json()
    expect(response.status).toBe(200)
    expect(body).toMatchObject({
      recorded: false,
      revocationChecked: false,
      renewedFrom: tokenId(token),
    })
  })
})
