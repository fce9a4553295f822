// The per-caller rate limit over both transports, with the clock pinned through `now`.
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  createMemoryRateLimitStore,
  parseRateLimit,
  type RateLimitStore,
} from '../../src/server/index.js'
import { APP_ID, CERT, client, expectError, KEY_1, KEY_2, post, TRANSPORTS } from './helpers.js'

const SECRET = 'an-hmac-secret-of-at-least-32-bytes!!'
const jwtFor = (sub: string) =>
  new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(new Date('2030-06-01T00:00:00Z'))
    .sign(new TextEncoder().encode(SECRET))

describe('createMemoryRateLimitStore', () => {
  it('counts per key and window and starts over in the next window', async () => {
    const store = createMemoryRateLimitStore()
    expect(await store.hit('a', 60_000, 120_000)).toEqual({ count: 1, resetAt: 180_000 })
    expect(await store.hit('a', 60_000, 179_999)).toEqual({ count: 2, resetAt: 180_000 })
    expect(await store.hit('b', 60_000, 179_999)).toEqual({ count: 1, resetAt: 180_000 })
    expect(await store.hit('a', 60_000, 180_000)).toEqual({ count: 1, resetAt: 240_000 })
  })

  it('keeps at most maxKeys keys', async () => {
    const store = createMemoryRateLimitStore({ maxKeys: 3 })
    for (const key of ['a', 'b', 'c', 'd']) await store.hit(key, 60_000, 0)
    // 'a' was the oldest and was dropped: it counts from 1 again.
    expect((await store.hit('a', 60_000, 0)).count).toBe(1)
    expect((await store.hit('d', 60_000, 0)).count).toBe(2)
  })
})

describe('parseRateLimit', () => {
  it.each([
    ['100/min', { limit: 100, window: '1m', callers: 'all' }],
    ['10/s', { limit: 10, window: '1s', callers: 'all' }],
    ['1000/1h', { limit: 1000, window: '1h', callers: 'all' }],
    ['0', undefined],
    ['0/min', undefined],
  ])('%s', (text, expected) => expect(parseRateLimit(text)).toEqual(expected))

  it.each(['fast', '100', '-1/min', '1.5/min', '/min'])('refuses %s', (text) => {
    expect(() => parseRateLimit(text)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    )
  })
})

describe.each(TRANSPORTS)('rate limit (%s)', (transport) => {
  it('allows 120/min per JWT user by default and answers 429 with Retry-After', async () => {
    let now = Date.UTC(2030, 0, 1, 0, 0, 15)
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      jwt: { secret: SECRET },
      apiKeys: [KEY_1],
      now: () => now,
    })
    try {
      const ann = await jwtFor('ann')
      for (let i = 0; i < 120; i++) {
        expect((await post(c, '/token', { type: 'rtm' }, ann)).status).toBe(200)
      }
      const limited = await post(c, '/token', { type: 'rtm' }, ann)
      expect(limited.headers.get('retry-after')).toBe('45')
      await expectError(limited, 429, 'ERR_RATE_LIMITED')
      // Another user and the API-key backend are not affected.
      expect((await post(c, '/token', { type: 'rtm' }, await jwtFor('bob'))).status).toBe(200)
      for (let i = 0; i < 200; i++) {
        expect((await post(c, '/token', { type: 'fpa' }, KEY_1)).status).toBe(200)
      }
      now += 45_000
      expect((await post(c, '/token', { type: 'rtm' }, ann)).status).toBe(200)
    } finally {
      await c.close()
    }
  })

  it("'2/min' limits every caller, API keys included, each on its own", async () => {
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1, KEY_2],
      rateLimit: '2/min',
      now: () => Date.UTC(2030, 0, 1),
    })
    try {
      for (const key of [KEY_1, KEY_2]) {
        expect((await post(c, '/token', { type: 'fpa' }, key)).status).toBe(200)
        expect((await post(c, '/token', { type: 'fpa' }, key)).status).toBe(200)
        const r = await post(c, '/token', { type: 'fpa' }, key)
        expect(r.headers.get('retry-after')).toBe('60')
        await expectError(r, 429, 'ERR_RATE_LIMITED')
      }
    } finally {
      await c.close()
    }
  })

  it('0 turns the limit off', async () => {
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      jwt: { secret: SECRET },
      rateLimit: 0,
    })
    try {
      const ann = await jwtFor('ann')
      for (let i = 0; i < 130; i++) {
        expect((await post(c, '/token', { type: 'rtm' }, ann)).status).toBe(200)
      }
    } finally {
      await c.close()
    }
  })

  it('fails closed with 503 when the store cannot count', async () => {
    const broken: RateLimitStore = {
      hit: async () => {
        throw new Error('redis: connection refused')
      },
    }
    const c = await client(transport, {
      appId: APP_ID,
      appCertificate: CERT,
      apiKeys: [KEY_1],
      rateLimit: { limit: 5, callers: 'all', store: broken },
    })
    try {
      const r = await post(c, '/token', { type: 'fpa' }, KEY_1)
      const message = await expectError(r, 503, 'ERR_UNAVAILABLE')
      expect(message).not.toContain('redis')
    } finally {
      await c.close()
    }
  })
})
