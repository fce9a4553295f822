// The behaviour every registry store must show, run against the memory store (npm test) and a
// real Redis (npm run test:redis). Times come from an injected clock that starts at the real time
// (Redis counts TTLs in real time) and only moves forward by seconds.
import { describe, expect, it } from 'vitest'
import {
  decodeToken,
  rtcToken,
  rtmToken,
  tokenId,
  TokenError,
  type TokenEntry,
} from '../../src/index.js'
import {
  entryFromToken,
  TokenRevoked,
  type TokenRegistry,
  verifyWithRegistry,
} from '../../src/registry/index.js'

export const appId = '970ca35de60c44645bbae8a215061b33'
export const cert = '5cfd2fd1755d40ecb72977518be15d3b'

/** A clock the test moves. */
export interface TestClock {
  now: () => number
  advance(ms: number): void
}

export function testClock(start = Math.floor(Date.now() / 1000) * 1000 + 100): TestClock {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms) }
}

let salt = 1000
/** An RTC token issued at the clock's time. */
export function rtc(
  clock: TestClock,
  channelName: string,
  uid: number | string,
  expiresIn: number | string = 3600,
) {
  return rtcToken({
    appId,
    appCertificate: cert,
    channelName,
    uid,
    role: 'publisher',
    expiresIn,
    // Some cases need a token that outlives the registry's 24 h horizon.
    maxLifetime: '7d',
    source: { now: clock.now, salt: () => salt++ },
  })
}

/** An RTM token issued at the clock's time. */
export function rtm(clock: TestClock, userId: string, expiresIn = 3600) {
  return rtmToken({
    appId,
    appCertificate: cert,
    userId,
    expiresIn,
    source: { now: clock.now, salt: () => salt++ },
  })
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<TokenError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(TokenError)
  expect((err as TokenError).code).toBe(code)
  return err as TokenError
}

/**
 * The shared suite. `make` returns a fresh, empty registry on the given clock (and whatever
 * options the test passes).
 */
export function registryConformance(
  name: string,
  make: (clock: TestClock) => Promise<TokenRegistry>,
): void {
  describe(`${name}: the TokenRegistry contract`, () => {
    it('records an entry read from a token and gets it back by id, once', async () => {
      const clock = testClock()
      const registry = await make(clock)
      const token = rtc(clock, 'room-1', 42)
      const entry = entryFromToken(token, {
        issuedTo: 'api-key:1',
        label: 'stage camera',
        correlationId: 'order-17',
        tags: ['studio', 'camera'],
      })
      expect(entry).toMatchObject({
        id: tokenId(token),
        type: 'rtc',
        appId,
        channelName: 'room-1',
        uid: '42',
        issuedAt: new Date(Math.floor(clock.now() / 1000) * 1000),
      })
      expect(entry.expiresAt.getTime() - entry.issuedAt.getTime()).toBe(3600_000)
      expect(await registry.record(entry)).toBe(true)
      expect(await registry.record({ ...entry, label: 'again' })).toBe(false)
      const got = await registry.get(entry.id)
      expect(got).toEqual(entry)
      expect(got?.issuedAt).toBeInstanceOf(Date)
      expect(await registry.get(tokenId(rtc(clock, 'room-1', 43)))).toBeUndefined()
      // A renewal's entry names the token it renews.
      const renewal = { ...entryFromToken(rtc(clock, 'room-1', 44), { issuedTo: 'x' }) }
      renewal.renewedFrom = entry.id
      expect(await registry.record(renewal)).toBe(true)
      expect((await registry.get(renewal.id))?.renewedFrom).toBe(entry.id)
      await registry.close()
    })

    it('refuses invalid entries with ERR_INVALID_ARGUMENT naming the field', async () => {
      const clock = testClock()
      const registry = await make(clock)
      const good: TokenEntry = entryFromToken(rtc(clock, 'room-1', 1), { issuedTo: 'api-key:1' })
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ tags: ['ok', 'not ok'] }, /entry\.tags\[1\]/],
        [{ tags: Array.from({ length: 17 }, (_, i) => `t${i}`) }, /entry\.tags/],
        [{ tags: ['a', 'a'] }, /repeated/],
        [{ label: 'line\nbreak' }, /entry\.label/],
        [{ label: 'x'.repeat(201) }, /entry\.label/],
        [{ correlationId: 'has space' }, /entry\.correlationId/],
        [{ correlationId: 'x'.repeat(129) }, /entry\.correlationId/],
        [{ issuedTo: '' }, /entry\.issuedTo/],
        [{ renewedFrom: 'not-a-token-id' }, /entry\.renewedFrom/],
        [{ id: 'short' }, /entry\.id/],
        [{ appId: 'nothex' }, /entry\.appId/],
        [{ userid: '42' }, /entry\.userid/],
        [{ revokedAt: new Date() }, /revoke/],
        [{ expiresAt: new Date(good.issuedAt.getTime() + 25 * 3600_000) }, /maxTokenLifetime/],
        [{ expiresAt: new Date(good.issuedAt.getTime() - 1) }, /after/],
        [{ issuedAt: new Date(Number.NaN) }, /entry\.issuedAt/],
      ]
      for (const [patch, message] of bad) {
        const err = await rejectsWithCode(
          registry.record({ ...good, ...patch } as TokenEntry),
          'ERR_INVALID_ARGUMENT',
        )
        expect(err.message).toMatch(message)
      }
      expect(await registry.get(good.id)).toBeUndefined()
      await registry.close()
    })

    it('lists by every filter, newest first, and pages with cursors without gaps or repeats', async () => {
      const clock = testClock()
      const registry = await make(clock)
      const ids: string[] = []
      for (let i = 0; i < 7; i++) {
        const token =
          i % 2 === 0 ? rtc(clock, `room-${i % 3}`, 100 + i) : rtm(clock, `user-${i % 3}`)
        const entry = entryFromToken(token, {
          issuedTo: 'api-key:1',
          correlationId: `c-${i}`,
          tags: i < 4 ? ['early'] : ['late', `n${i}`],
        })
        await registry.record(entry)
        ids.push(entry.id)
        clock.advance(1000)
      }
      const all = await registry.list()
      expect(all.items.map((e) => e.id)).toEqual([...ids].reverse())
      expect(all.nextCursor).toBeUndefined()

      const seen: string[] = []
      let cursor: string | undefined
      for (let page = 0; page < 10; page++) {
        const result = await registry.list({}, { limit: 2, cursor })
        expect(result.items.length).toBeLessThanOrEqual(2)
        seen.push(...result.items.map((e) => e.id))
        cursor = result.nextCursor
        if (cursor === undefined) break
      }
      expect(seen).toEqual([...ids].reverse())

      const idsOf = async (filter: Parameters<TokenRegistry['list']>[0]) =>
        (await registry.list(filter)).items.map((e) => e.id)
      expect(await idsOf({ tag: 'early' })).toEqual([ids[3], ids[2], ids[1], ids[0]])
      expect(await idsOf({ tag: 'n5' })).toEqual([ids[5]])
      expect(await idsOf({ correlationId: 'c-4' })).toEqual([ids[4]])
      expect(await idsOf({ userId: 'user-1' })).toEqual([ids[1]])
      expect(await idsOf({ uid: 106 })).toEqual([ids[6]])
      expect(await idsOf({ channelName: 'room-0' })).toEqual([ids[6], ids[0]])
      const third = (await registry.get(ids[3])) as TokenEntry
      expect(await idsOf({ issuedBefore: third.issuedAt })).toEqual([ids[2], ids[1], ids[0]])
      expect(
        await idsOf({ tag: 'early', issuedBefore: third.issuedAt, channelName: 'room-2' }),
      ).toEqual([ids[2]])
      expect(await idsOf({ tag: 'nothing' })).toEqual([])

      await rejectsWithCode(registry.list({ user: 'x' } as never), 'ERR_INVALID_ARGUMENT')
      await rejectsWithCode(registry.list({}, { cursor: 'garbage' }), 'ERR_INVALID_ARGUMENT')
      await rejectsWithCode(registry.list({}, { limit: 0 }), 'ERR_INVALID_ARGUMENT')
      await rejectsWithCode(registry.list({ tag: 'bad tag' }), 'ERR_INVALID_ARGUMENT')
      await registry.close()
    })

    it('revokes by id, recorded or not, and shows it', async () => {
      const clock = testClock()
      const registry = await make(clock)
      const token = rtc(clock, 'room-1', 42)
      const entry = entryFromToken(token, { issuedTo: 'api-key:1' })
      await registry.record(entry)
      expect(await registry.isRevoked(entry.id)).toBe(false)
      clock.advance(2000)
      expect(await registry.revoke(entry.id, 'leaked')).toEqual({ revoked: 1 })
      expect(await registry.revoke(entry.id, 'again')).toEqual({ revoked: 0 })
      const got = await registry.get(entry.id)
      expect(got?.revokedAt).toEqual(new Date(clock.now()))
      expect(got?.reason).toBe('leaked')
      expect(await registry.isRevoked(entry.id)).toBe(true)
      expect(await registry.isRevoked(decodeToken(token))).toBe(true)
      expect((await registry.list({ channelName: 'room-1' })).items[0].revokedAt).toBeInstanceOf(
        Date,
      )

      const unrecorded = rtc(clock, 'room-1', 43)
      expect(await registry.revoke(tokenId(unrecorded))).toEqual({ revoked: 0 })
      expect(await registry.isRevoked(decodeToken(unrecorded))).toBe(true)
      expect(await registry.get(tokenId(unrecorded))).toBeUndefined()
      await rejectsWithCode(registry.revoke('not-an-id'), 'ERR_INVALID_ARGUMENT')
      await rejectsWithCode(registry.revoke(entry.id, 'bad\u0000reason'), 'ERR_INVALID_ARGUMENT')
      await registry.close()
    })

    it('bulk revocation covers recorded tokens and tokens never recorded, issued before the cutoff only', async () => {
      const clock = testClock()
      const registry = await make(clock)
      const recorded = rtm(clock, '42')
      await registry.record(entryFromToken(recorded, { issuedTo: 'api-key:1' }))
      const elsewhere = rtm(clock, '42') // issued by another instance: never recorded here
      const otherUser = rtm(clock, '43')
      const withRtc = rtcToken({
        appId,
        appCertificate: cert,
        channelName: 'room-9',
        uid: 7,
        role: 'publisher',
        rtmUserId: '42',
        source: { now: clock.now, salt: () => 99 },
      })
      clock.advance(1500)
      const result = await registry.revoke({ userId: '42' }, 'password changed')
      expect(result.revoked).toBe(1)
      expect(result.cutoff?.scope).toEqual({ userId: '42' })
      expect(result.cutoff?.issuedBefore.getTime()).toBe(Math.ceil(clock.now() / 1000) * 1000)
      expect(await registry.isRevoked(decodeToken(recorded))).toBe(true)
      expect(await registry.isRevoked(decodeToken(elsewhere))).toBe(true)
      expect(await registry.isRevoked(decodeToken(withRtc))).toBe(true)
      expect(await registry.isRevoked(decodeToken(otherUser))).toBe(false)
      const revocation = await registry.getRevocation(decodeToken(elsewhere))
      expect(revocation?.reason).toBe('password changed')
      expect(revocation?.entry).toBeUndefined()
      expect(revocation?.cutoff?.scope).toEqual({ userId: '42' })

      // A token issued in a later second is not covered.
      clock.advance(1000)
      const after = rtm(clock, '42')
      expect(await registry.isRevoked(decodeToken(after))).toBe(false)
      await registry.record(entryFromToken(after, { issuedTo: 'api-key:1' }))
      expect((await registry.get(tokenId(after)))?.revokedAt).toBeUndefined()
      await registry.close()
    })

    it('a cutoff on a channel and uid covers that pair only; a later cutoff replaces an earlier one', async () => {
      const clock = testClock()
      const registry = await make(clock)
      const target = rtc(clock, 'room-1', 5)
      const sameChannel = rtc(clock, 'room-1', 6)
      const sameUid = rtc(clock, 'room-2', 5)
      clock.advance(2000)
      const early = new Date(clock.now() - 5000)
      expect(
        (await registry.revoke({ channelName: 'room-1', uid: 5, issuedBefore: early })).cutoff
          ?.issuedBefore,
      ).toEqual(new Date(Math.ceil(early.getTime() / 1000) * 1000))
      expect(await registry.isRevoked(decodeToken(target))).toBe(false)
      await registry.revoke({ channelName: 'room-1', uid: 5 })
      expect(await registry.isRevoked(decodeToken(target))).toBe(true)
      expect(await registry.isRevoked(decodeToken(sameChannel))).toBe(false)
      expect(await registry.isRevoked(decodeToken(sameUid))).toBe(false)
      // An earlier cutoff does not shorten a later one.
      await registry.revoke({ channelName: 'room-1', uid: 5, issuedBefore: early })
      expect(await registry.isRevoked(decodeToken(target))).toBe(true)
      await registry.close()
    })

    it('revocation by tag or correlation id reaches recorded entries only; empty and future filters are refused', async () => {
      const clock = testClock()
      const registry = await make(clock)
      const a = rtc(clock, 'room-1', 1)
      const b = rtc(clock, 'room-1', 2)
      await registry.record(entryFromToken(a, { issuedTo: 'x', tags: ['kiosk'] }))
      await registry.record(
        entryFromToken(b, { issuedTo: 'x', tags: ['desk'], correlationId: 'c-1' }),
      )
      clock.advance(1000)
      expect(await registry.revoke({ tag: 'kiosk' })).toEqual({ revoked: 1 })
      expect(await registry.isRevoked(decodeToken(a))).toBe(true)
      expect(await registry.isRevoked(decodeToken(b))).toBe(false)
      expect(await registry.revoke({ correlationId: 'c-1' }, 'order cancelled')).toEqual({
        revoked: 1,
      })
      expect((await registry.get(tokenId(b)))?.reason).toBe('order cancelled')
      await rejectsWithCode(registry.revoke({}), 'ERR_INVALID_ARGUMENT')
      await rejectsWithCode(registry.revoke({ user_id: '42' } as never), 'ERR_INVALID_ARGUMENT')
      await rejectsWithCode(
        registry.revoke({ userId: '42', issuedBefore: new Date(clock.now() + 60_000) }),
        'ERR_INVALID_ARGUMENT',
      )
      await registry.close()
    })

    it('verifyWithRegistry: verifyToken plus revocation, with ERR_TOKEN_REVOKED carrying the entry', async () => {
      const clock = testClock()
      const registry = await make(clock)
      const currentDate = () => new Date(clock.now())
      const token = rtc(clock, 'room-1', 42)
      const entry = entryFromToken(token, { issuedTo: 'api-key:1', label: 'lobby' })
      await registry.record(entry)
      const ok = await verifyWithRegistry(token, cert, registry, {
        appId,
        currentDate: currentDate(),
      })
      expect(ok.id).toBe(entry.id)
      expect(ok.expiresAt).toEqual(entry.expiresAt)
      await registry.revoke(entry.id, 'lost device')
      const err = await rejectsWithCode(
        verifyWithRegistry(token, cert, registry, { currentDate: currentDate() }),
        'ERR_TOKEN_REVOKED',
      )
      expect(err).toBeInstanceOf(TokenRevoked)
      expect((err as TokenRevoked).entry?.label).toBe('lobby')
      expect((err as TokenRevoked).reason).toBe('lost device')
      expect(err.message).not.toContain(token)
      // The signature is checked before the registry is asked.
      await rejectsWithCode(
        verifyWithRegistry(token, '0cfd2fd1755d40ecb72977518be15d3b', registry, {
          currentDate: currentDate(),
        }),
        'ERR_TOKEN_SIGNATURE',
      )
      // A token living longer than the registry can keep a revocation is refused.
      const long = rtc(clock, 'room-1', 42, '2d')
      await rejectsWithCode(
        verifyWithRegistry(long, cert, registry, { currentDate: currentDate() }),
        'ERR_TOKEN_REVOKED',
      )
      await rejectsWithCode(
        verifyWithRegistry(token, cert, registry, { clockTolerance: registry.clockTolerance + 1 }),
        'ERR_INVALID_ARGUMENT',
      )
      await registry.close()
    })
  })
}
