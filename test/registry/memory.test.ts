// The memory registry: the shared contract, then expiry on an injected clock.
import { describe, expect, it } from 'vitest'
import { decodeToken, tokenId } from '../../src/index.js'
import { createMemoryRegistry, entryFromToken } from '../../src/registry/index.js'
import { registryConformance, rtc, rtm, testClock } from './conformance.js'

registryConformance('memory', async (clock) => createMemoryRegistry({ now: clock.now }))

describe('createMemoryRegistry: memory follows the live tokens', () => {
  it('forgets entries once their token has expired (plus the clock tolerance)', async () => {
    const clock = testClock()
    const registry = createMemoryRegistry({ now: clock.now, clockTolerance: 30 })
    const token = rtc(clock, 'room-1', 1, 600)
    const entry = entryFromToken(token, { issuedTo: 'x', tags: ['t'] })
    await registry.record(entry)
    await registry.revoke(entry.id)
    clock.advance(600_000 + 29_000)
    expect(await registry.get(entry.id)).toBeDefined()
    clock.advance(1_000)
    expect(await registry.get(entry.id)).toBeUndefined()
    expect(await registry.isRevoked(entry.id)).toBe(false)
    expect((await registry.list({ tag: 't' })).items).toEqual([])
  })

  it('keeps a cutoff for maxTokenLifetime after its time, then forgets it', async () => {
    const clock = testClock()
    const registry = createMemoryRegistry({
      now: clock.now,
      maxTokenLifetime: '1h',
      clockTolerance: 0,
    })
    const token = rtm(clock, '42', 3600)
    clock.advance(1000)
    const { cutoff } = await registry.revoke({ userId: '42' })
    const keptUntil = (cutoff?.issuedBefore.getTime() ?? 0) + 3600_000
    clock.advance(keptUntil - clock.now() - 1)
    expect(await registry.isRevoked(decodeToken(token))).toBe(true)
    clock.advance(1)
    // By now the token itself has expired: forgetting the cutoff lets nothing through.
    expect(
      decodeToken(token).version === '007' && decodeToken(token).expiresAt.getTime() <= clock.now(),
    ).toBe(true)
    expect(await registry.isRevoked(decodeToken(token))).toBe(false)
  })

  it('refuses entries of tokens that have already expired, and bad options', async () => {
    const clock = testClock()
    const registry = createMemoryRegistry({ now: clock.now, clockTolerance: 0 })
    const entry = entryFromToken(rtc(clock, 'room-1', 1, 60), { issuedTo: 'x' })
    clock.advance(60_000)
    await expect(registry.record(entry)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    expect(() => createMemoryRegistry({ maxTokenLifetime: 'forever' })).toThrow(/maxTokenLifetime/)
    expect(() => createMemoryRegistry({ clockTolerance: -1 })).toThrow(/clockTolerance/)
    expect(tokenId(rtc(clock, 'a', 1))).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })
})

describe('createMemoryRegistry: maxEntries bounds memory', () => {
  it('drops the oldest entries past maxEntries, and keeps revocations', async () => {
    const clock = testClock()
    const registry = createMemoryRegistry({ now: clock.now, maxEntries: 20 })
    const ids: string[] = []
    const tokens: string[] = []
    for (let i = 0; i < 45; i++) {
      const token = rtc(clock, 'busy', i + 1)
      tokens.push(token)
      const entry = entryFromToken(token, { issuedTo: 'x' })
      await registry.record(entry)
      ids.push(entry.id)
      if (i === 0) await registry.revoke(entry.id, 'first')
      clock.advance(1000)
    }
    const listed: string[] = []
    let cursor: string | undefined
    do {
      const page = await registry.list({ channelName: 'busy' }, { cursor, limit: 100 })
      listed.push(...page.items.map((e) => e.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(listed.length).toBeLessThanOrEqual(20)
    expect(listed[0]).toBe(ids[44])
    expect(listed).toEqual(ids.slice(45 - listed.length).reverse())
    expect(await registry.get(ids[0])).toBeUndefined()
    // The evicted first token stays revoked.
    expect(await registry.isRevoked(decodeToken(tokens[0]))).toBe(true)
    expect(() => createMemoryRegistry({ maxEntries: 0 })).toThrow(/maxEntries/)
  })
})
