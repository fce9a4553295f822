// The Redis registry on a real redis-server: the shared contract, the key layout and its TTLs,
// one Redis shared by two registries, and failing closed while Redis is down.
import { createClient } from '@redis/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeToken, RegistryUnavailable, tokenId } from '../../src/index.js'
import {
  createRedisRateLimitStore,
  createRedisRegistry,
  entryFromToken,
  type RedisTokenRegistry,
  verifyWithRegistry,
} from '../../src/registry/index.js'
import { appId, cert, registryConformance, rtc, rtm, testClock } from './conformance.js'
import { type RedisServer, startRedis } from './redis-server.js'

let redis: RedisServer
let prefixes = 0
const opened: RedisTokenRegistry[] = []

beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  for (const r of opened) await r.close()
  await redis?.dispose()
})

function open(options: Parameters<typeof createRedisRegistry>[0]): RedisTokenRegistry {
  const registry = createRedisRegistry(options)
  opened.push(registry)
  return registry
}

registryConformance('redis', async (clock) =>
  open({ url: redis.url, now: clock.now, prefix: `conf${prefixes++}:` }),
)

describe('createRedisRegistry on a real Redis', () => {
  it('lays out keys as documented, each with a TTL that follows the tokens it covers', async () => {
    const clock = testClock(Date.now())
    const registry = open({ url: redis.url, now: clock.now, prefix: 'layout:', clockTolerance: 60 })
    const raw = createClient({ url: redis.url })
    await raw.connect()
    try {
      const token = rtc(clock, 'room:1', 42, 600)
      const entry = entryFromToken(token, {
        issuedTo: 'api-key:1',
        tags: ['kiosk'],
        correlationId: 'c-1',
      })
      await registry.record(entry)
      const keys = (await raw.keys('layout:*')).sort()
      expect(keys).toEqual(
        [
          `layout:e:${entry.id}`,
          'layout:x:all',
          'layout:x:c:room:1',
          'layout:x:i:42',
          'layout:x:k:c-1',
          'layout:x:t:kiosk',
        ].sort(),
      )
      const expectedTtl = entry.expiresAt.getTime() + 60_000 - clock.now()
      for (const key of keys) {
        const ttl = await raw.pTTL(key)
        expect(ttl).toBeGreaterThan(expectedTtl - 5_000)
        expect(ttl).toBeLessThanOrEqual(expectedTtl)
      }
      const stored = JSON.parse((await raw.get(`layout:e:${entry.id}`)) as string)
      expect(stored).toMatchObject({
        id: entry.id,
        channelName: 'room:1',
        issuedAt: entry.issuedAt.getTime(),
      })
      expect(await raw.zRange('layout:x:t:kiosk', 0, -1)).toEqual([
        `${String(entry.issuedAt.getTime()).padStart(13, '0')}:${entry.id}`,
      ])

      await registry.revoke(entry.id, 'leaked')
      expect(await raw.pTTL(`layout:r:${entry.id}`)).toBeGreaterThan(expectedTtl - 5_000)
      const { cutoff } = await registry.revoke({ channelName: 'room:1', uid: 42 })
      const cutoffKey = 'layout:c:c=room%3A1&i=42'
      expect(await raw.get(cutoffKey)).toMatch(new RegExp(`^${cutoff?.issuedBefore.getTime()}:`))
      const cutoffTtl = (cutoff?.issuedBefore.getTime() ?? 0) + (86_400 + 60) * 1000 - clock.now()
      expect(await raw.pTTL(cutoffKey)).toBeGreaterThan(cutoffTtl - 5_000)
      expect(await raw.pTTL(cutoffKey)).toBeLessThanOrEqual(cutoffTtl)
    } finally {
      await raw.close()
    }
  })

  it('lets Redis expire an entry with its token, and drops it from the lists', async () => {
    const clock = testClock(Date.now())
    const registry = open({ url: redis.url, now: clock.now, prefix: 'expiry:', clockTolerance: 0 })
    // Issued 59 s ago for 60 s: about one second of life left.
    clock.advance(-59_000)
    const token = rtc(clock, 'room-1', 1, 60)
    clock.advance(59_000)
    const entry = entryFromToken(token, { issuedTo: 'x', tags: ['short'] })
    await registry.record(entry)
    expect(await registry.get(entry.id)).toBeDefined()
    await new Promise((r) => setTimeout(r, entry.expiresAt.getTime() - Date.now() + 300))
    expect(await registry.get(entry.id)).toBeUndefined()
    expect((await registry.list({ tag: 'short' })).items).toEqual([])
  })

  it('two registries on one Redis see each other at once', async () => {
    const clock = testClock()
    const a = open({ url: redis.url, now: clock.now, prefix: 'fleet:' })
    const b = open({ url: redis.url, now: clock.now, prefix: 'fleet:' })
    const token = rtm(clock, 'user-7')
    const entry = entryFromToken(token, {
      issuedTo: 'api-key:1',
      tags: ['mobile'],
      correlationId: 'order-9',
    })
    await a.record(entry)
    expect((await b.list({ tag: 'mobile' })).items.map((e) => e.id)).toEqual([entry.id])
    expect((await b.list({ correlationId: 'order-9' })).items[0]).toEqual(entry)
    await b.revoke(entry.id, 'from b')
    await expect(
      verifyWithRegistry(token, cert, a, { appId, currentDate: new Date(clock.now()) }),
    ).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
    const unrecorded = rtm(clock, 'user-8')
    clock.advance(1000)
    await a.revoke({ userId: 'user-8' })
    expect(await b.isRevoked(decodeToken(unrecorded))).toBe(true)
  })

  it('takes a connected client instead of a URL, and leaves it open', async () => {
    const client = createClient({ url: redis.url })
    await client.connect()
    const clock = testClock()
    const registry = createRedisRegistry({ client, now: clock.now, prefix: 'own:' })
    const entry = entryFromToken(rtc(clock, 'r', 1), { issuedTo: 'x' })
    expect(await registry.record(entry)).toBe(true)
    await registry.close()
    expect(await client.get(`own:e:${entry.id}`)).toContain(entry.id)
    await client.close()
    expect(() => createRedisRegistry({} as never)).toThrow(/exactly one of url and client/)
    expect(() => createRedisRegistry({ url: 'http://x' })).toThrow(/redis:\/\//)
  })

  it('fails closed with RegistryUnavailable while Redis is down, and recovers when it returns', async () => {
    const clock = testClock()
    const down = await startRedis()
    try {
      const registry = open({ url: down.url, now: clock.now, prefix: 'fault:', timeoutMs: 500 })
      const token = rtc(clock, 'room-1', 1)
      const entry = entryFromToken(token, { issuedTo: 'x' })
      await registry.record(entry)
      await down.stop()
      const started = Date.now()
      await expect(
        registry.record(entryFromToken(rtc(clock, 'room-1', 2), { issuedTo: 'x' })),
      ).rejects.toBeInstanceOf(RegistryUnavailable)
      const err = await verifyWithRegistry(token, cert, registry, {
        currentDate: new Date(clock.now()),
      }).catch((e) => e)
      expect(err).toBeInstanceOf(RegistryUnavailable)
      expect(err.code).toBe('ERR_REGISTRY_UNAVAILABLE')
      expect(err.message).toMatch(/Redis registry/)
      expect(Date.now() - started).toBeLessThan(3000)
      // failOpen lets a token that passes every other check through, and says so.
      const unchecked = await verifyWithRegistry(token, cert, registry, {
        currentDate: new Date(clock.now()),
        failOpen: true,
      })
      expect(unchecked.revocationUnchecked).toBe(true)
      expect(unchecked.id).toBe(tokenId(token))

      await down.start()
      let recovered = false
      for (let i = 0; i < 50 && !recovered; i++) {
        recovered = await registry.ping().then(
          () => true,
          () => false,
        )
        if (!recovered) await new Promise((r) => setTimeout(r, 100))
      }
      expect(recovered).toBe(true)
      // Nothing was persisted: the restarted Redis is empty, and works again.
      expect(await registry.record(entry)).toBe(true)
      const ok = await verifyWithRegistry(token, cert, registry, {
        currentDate: new Date(clock.now()),
      })
      expect(ok.revocationUnchecked).toBeUndefined()
    } finally {
      await down.dispose()
    }
  })

  it('fails closed when Redis was never reachable', async () => {
    const gone = await startRedis()
    const url = gone.url
    await gone.dispose()
    const registry = open({ url, timeoutMs: 300 })
    await expect(registry.get('AAAAAAAAAAAAAAAAAAAAAA')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_UNAVAILABLE',
    })
  })

  it('counts rate limit windows in Redis, one key per caller and window, expiring with it', async () => {
    const store = createRedisRateLimitStore({ url: redis.url, prefix: 'rl-test:' })
    const raw = createClient({ url: redis.url })
    await raw.connect()
    try {
      const start = 1_800_000_000_000
      expect(await store.hit('jwt:u1', 60_000, start + 10)).toEqual({
        count: 1,
        resetAt: start + 60_000,
      })
      expect(await store.hit('jwt:u1', 60_000, start + 20)).toEqual({
        count: 2,
        resetAt: start + 60_000,
      })
      expect((await store.hit('jwt:u2', 60_000, start + 30)).count).toBe(1)
      expect((await store.hit('jwt:u1', 60_000, start + 60_000)).count).toBe(1)
      const ttl = await raw.pTTL(`rl-test:rl:jwt:u1:${start}`)
      expect(ttl).toBeGreaterThan(55_000)
      expect(ttl).toBeLessThanOrEqual(61_000)
    } finally {
      await store.close()
      await raw.close()
    }
  })
})
