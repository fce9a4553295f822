// verifyWithRegistry beyond the shared contract: 006 tokens, and what happens when the store
// cannot answer (fail closed by default, failOpen on request).
import { describe, expect, it } from 'vitest'
import {
  buildToken006,
  decodeToken,
  RegistryUnavailable,
  TokenRevoked,
  tokenId,
} from '../../src/index.js'
import {
  createMemoryRegistry,
  entryFromToken,
  type TokenRegistry,
  verifyWithRegistry,
} from '../../src/registry/index.js'
import { appId, cert, rtc, testClock } from './conformance.js'

function token006(clock: { now(): number }, channelName: string, uid: number) {
  const nowS = Math.floor(clock.now() / 1000)
  return buildToken006({
    appId,
    appCertificate: cert,
    channelName,
    uid,
    salt: uid,
    ts: nowS + 86_400,
    privileges: { joinChannel: nowS + 3600 },
  })
}

/** A registry whose store is down: every call rejects the way a store that cannot answer does. */
function unreachable(base: TokenRegistry, error: Error): TokenRegistry {
  const fail = async () => {
    throw error
  }
  return {
    ...base,
    record: fail,
    get: fail,
    list: fail,
    revoke: fail,
    isRevoked: fail,
    getRevocation: fail,
  }
}

describe('verifyWithRegistry', () => {
  it('006 tokens: revoked by id, and by a channel/uid cutoff when the verification names them', async () => {
    const clock = testClock()
    const registry = createMemoryRegistry({ now: clock.now })
    const currentDate = new Date(clock.now())
    const a = token006(clock, 'room-6', 6)
    const b = token006(clock, 'room-6', 7)
    expect(
      (await verifyWithRegistry(a, cert, registry, { currentDate, channelName: 'room-6', uid: 6 }))
        .id,
    ).toBe(tokenId(a))
    clock.advance(1000)
    await registry.revoke({ channelName: 'room-6', uid: 6 })
    await expect(
      verifyWithRegistry(a, cert, registry, { currentDate, channelName: 'room-6', uid: 6 }),
    ).rejects.toBeInstanceOf(TokenRevoked)
    await expect(
      verifyWithRegistry(b, cert, registry, { currentDate, channelName: 'room-6', uid: 7 }),
    ).resolves.toBeDefined()
    await registry.revoke(tokenId(b))
    await expect(
      verifyWithRegistry(b, cert, registry, { currentDate, channelName: 'room-6', uid: 7 }),
    ).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
    // A recorded 006 entry carries its channel and uid (checked against the token's CRC-32s).
    const c = token006(clock, 'room-7', 8)
    expect(() => entryFromToken(c, { issuedTo: 'x', channelName: 'room-8' })).toThrow(/CRC-32/)
    await registry.record(entryFromToken(c, { issuedTo: 'x', channelName: 'room-7', uid: 8 }))
    clock.advance(1000)
    await registry.revoke({ channelName: 'room-7' })
    // The decoded 006 token alone names no channel: the recorded entry does.
    expect(await registry.isRevoked(decodeToken(c))).toBe(true)
    expect(await registry.isRevoked(decodeToken(token006(clock, 'room-7', 9)))).toBe(false)
    await expect(
      verifyWithRegistry(c, cert, registry, { currentDate, channelName: 'room-7', uid: 8 }),
    ).rejects.toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
    })
  })

  it('fails closed when the store cannot answer, and lets through only with failOpen', async () => {
    const clock = testClock()
    const down = unreachable(
      createMemoryRegistry({ now: clock.now }),
      new RegistryUnavailable('Redis registry: read failed (ECONNREFUSED)'),
    )
    const token = rtc(clock, 'room-1', 1)
    const currentDate = new Date(clock.now())
    await expect(verifyWithRegistry(token, cert, down, { currentDate })).rejects.toMatchObject({
      code: 'ERR_REGISTRY_UNAVAILABLE',
    })
    const result = await verifyWithRegistry(token, cert, down, { currentDate, failOpen: true })
    expect(result.revocationUnchecked).toBe(true)
    // failOpen never excuses a bad token, nor an error that is not the store's.
    await expect(
      verifyWithRegistry(token, '0cfd2fd1755d40ecb72977518be15d3b', down, {
        currentDate,
        failOpen: true,
      }),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_SIGNATURE' })
    const broken = unreachable(createMemoryRegistry(), new TypeError('bug'))
    await expect(
      verifyWithRegistry(token, cert, broken, { currentDate, failOpen: true }),
    ).rejects.toThrow('bug')
    await expect(verifyWithRegistry(token, cert, {} as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    })
    await expect(
      verifyWithRegistry(token, cert, down, { currentDate, failOpen: 'yes' as never }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
  })
})
