// The guards for the traps users report (issue 12): the uid string "0", lifetimes in
// milliseconds, upper-case certificates, and the RTM wildcard user of a permissions token. Each is
// refused with its hint by the drop-ins, the legacy drop-ins and the typed API, and `guards: false`
// gives back the reference's token: agora-token's payload (Node's zlib deflates differently from
// ours, so the signed payloads are compared) and agora-access-token's 006 token, byte for byte.
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  InvalidArgument,
  Rtm2Permissions,
  buildToken,
  createTokenBuilders,
  decodeToken,
  legacy,
  rtcToken,
  rtmToken,
  type DecodedToken007,
} from '../../src/index.js'
import { builderFunction, payloadHex } from '../helpers/builder-calls.js'

const require = createRequire(import.meta.url)
const agora = require('agora-token')
const agoraAccessToken = require('agora-access-token')

const appId = '970ca35de60c44645bbae8a215061b33'
const appCertificate = '5cfd2fd1755d40ecb72977518be15d3b'
const upperCertificate = appCertificate.toUpperCase()
const NOW_MS = 1_750_000_000_000
const SALT = 4242
const source = { now: () => NOW_MS, salt: () => SALT }
const guarded = createTokenBuilders(source)
const unguarded = createTokenBuilders(source, { guards: false })

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW_MS)
})
afterAll(() => {
  vi.useRealTimers()
})

/** agora-token's token for the same call, with the same clock and salt. */
function agoraToken(name: string, args: unknown[]): string {
  const random = vi.spyOn(Math, 'random').mockReturnValue((SALT - 0.5) / 99_999_999)
  try {
    return builderFunction(agora, name)(...args)
  } finally {
    random.mockRestore()
  }
}

/** Ours with the guards off, and agora-token's, sign the same payload. */
function expectReference(name: string, args: unknown[]): string {
  const ours = builderFunction(unguarded, name)(...args)
  expect(payloadHex(ours)).toBe(payloadHex(agoraToken(name, args)))
  return ours
}

function messageOf(call: () => unknown): string {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgument)
    expect((error as InvalidArgument).code).toBe('ERR_INVALID_ARGUMENT')
    return (error as Error).message
  }
  throw new Error('expected an InvalidArgument, nothing was thrown')
}

function decoded(token: string): DecodedToken007 {
  const d = decodeToken(token)
  if (d.version !== '007') throw new Error('expected a 007 token')
  return d
}

const guardedCall = (name: string, args: unknown[]) => () => builderFunction(guarded, name)(...args)

describe('the uid string "0" (what searchParams.get returns)', () => {
  const ZERO_HINT =
    /: got the string "0", which makes a token for the account "0", not for any uid .*pass the number 0 for any uid/

  it.each([
    ['RtcTokenBuilder.buildTokenWithUid', [appId, appCertificate, 'room', '0', 1, 600, 600], 'uid'],
    [
      'RtcTokenBuilder.buildTokenWithUserAccount',
      [appId, appCertificate, 'room', '0', 2, 600],
      'account',
    ],
    [
      'RtcTokenBuilder.buildTokenWithUidAndPrivilege',
      [appId, appCertificate, 'room', '0', 600, 600, 600, 600, 600],
      'uid',
    ],
    ['RtcTokenBuilder.buildTokenWithRtm', [appId, appCertificate, 'room', '0', 1, 600], 'account'],
    [
      'ConvoAITokenBuilder.buildToken',
      [appId, appCertificate, 'room', '0', 1, 600, 600, 600, 600, 600, 'agent', 600],
      'rtcAccount',
    ],
  ])('%s refuses it; with the guards off it is agora-token’s account "0"', (name, args, path) => {
    expect(messageOf(guardedCall(name, args))).toMatch(new RegExp(`^${path}${ZERO_HINT.source}`))
    const token = expectReference(name, args)
    expect(decoded(token).services[0]).toMatchObject({ type: 'rtc', uid: '0' })
  })

  it('the number 0 still means any uid, and "0" stays a valid id outside RTC', () => {
    const any = guarded.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'r', 0, 1, 600)
    expect(decoded(any).services[0]).toMatchObject({ uid: '' })
    const rtm = guarded.RtmTokenBuilder.buildToken(appId, appCertificate, '0', 600)
    expect(decoded(rtm).services[0]).toMatchObject({ type: 'rtm', userId: '0' })
  })

  it('the typed API refuses it too, and guards: false builds the account "0"', () => {
    const options = { appId, appCertificate, source, channelName: 'r', role: 'publisher' } as const
    expect(messageOf(() => rtcToken({ ...options, uid: '0' }))).toMatch(
      new RegExp(`^uid${ZERO_HINT.source}`),
    )
    expect(decoded(rtcToken({ ...options, uid: 0 })).services[0]).toMatchObject({ uid: '' })
    const loose = rtcToken({ ...options, uid: '0', guards: false, expiresIn: 600 })
    expect(decoded(loose).services[0]).toMatchObject({ uid: '0' })
    expect(loose).toBe(
      unguarded.RtcTokenBuilder.buildTokenWithUserAccount(
        appId,
        appCertificate,
        'r',
        '0',
        1,
        600,
        600,
      ),
    )
  })

  it('the legacy builders refuse it; without the guards agora-access-token’s token comes out', () => {
    const expiresAt = NOW_MS / 1000 + 3600
    const args = [appId, appCertificate, 'room', '0', 1, expiresAt] as const
    expect(messageOf(() => legacy.RtcTokenBuilder.buildTokenWithUid(...args))).toMatch(
      new RegExp(`^uid${ZERO_HINT.source}`),
    )
    const theirs: string = agoraAccessToken.RtcTokenBuilder.buildTokenWithUid(...args)
    const theirSalt = decodeToken(theirs)
    if (theirSalt.version !== '006') throw new Error('expected a 006 token')
    const loose = legacy.createLegacyBuilders(
      { now: () => NOW_MS, salt: () => theirSalt.salt },
      { guards: false },
    )
    expect(loose.RtcTokenBuilder.buildTokenWithUid(...args)).toBe(theirs)
  })
})

describe('lifetimes that look like milliseconds (over 24 h and a multiple of 1,000)', () => {
  it.each([
    [
      'tokenExpire',
      [appId, appCertificate, 'r', 42, 1, 3_600_000, 600],
      3_600_000,
      '41.7 days',
      3600,
    ],
    [
      'privilegeExpire',
      [appId, appCertificate, 'r', 42, 1, 600, 86_401_000],
      86_401_000,
      '1000 days',
      86_401,
    ],
  ])('%s is refused with the seconds that were meant', (path, args, value, days, meant) => {
    const name = 'RtcTokenBuilder.buildTokenWithUid'
    expect(messageOf(guardedCall(name, args))).toBe(
      `${path} ${value} looks like milliseconds (as seconds it is ${days}, and Agora caps a ` +
        `token's useful life at 24 h); pass seconds, ${meant}`,
    )
    expect(decoded(expectReference(name, args)).expire).toBe(args[5])
  })

  it.each([
    ['RtmTokenBuilder.buildToken', [appId, appCertificate, 'alice', 7_200_000], 'expire'],
    ['ChatTokenBuilder.buildAppToken', [appId, appCertificate, 7_200_000], 'expire'],
    ['ApaasTokenBuilder.buildUserToken', [appId, appCertificate, 'u', 7_200_000], 'expire'],
    [
      'RtcTokenBuilder.buildTokenWithRtm2',
      [appId, appCertificate, 'r', 'a', 1, 600, 600, 600, 600, 600, 'b', 7_200_000],
      'rtmTokenExpire',
    ],
    [
      'RtcTokenBuilder.buildTokenWithUidAndPrivilege',
      [appId, appCertificate, 'r', 42, 600, 600, 600, 90_000_000, 600],
      'pubVideoPrivilegeExpire',
    ],
  ])('%s refuses it; with the guards off it is agora-token’s token', (name, args, path) => {
    expect(messageOf(guardedCall(name, args))).toMatch(
      new RegExp(`^${path} \\d+ looks like milliseconds`),
    )
    expectReference(name, args)
  })

  it('the boundary: 24 h and anything that is not a multiple of 1,000 pass', () => {
    const build = (expire: number) =>
      decoded(guarded.RtmTokenBuilder.buildToken(appId, appCertificate, 'a', expire)).expire
    for (const ok of [86_000, 86_400, 86_401, 604_800, 87_001]) expect(build(ok)).toBe(ok)
    for (const bad of [87_000, 100_000, 2_592_000]) {
      expect(messageOf(() => build(bad))).toMatch(/looks like milliseconds/)
    }
  })
})

describe('the typed API: lifetimes over 24 h need maxLifetime', () => {
  const options = { appId, appCertificate, source, userId: 'alice' }

  it('refuses a lifetime over 24 h, with the milliseconds hint where it fits', () => {
    expect(messageOf(() => rtmToken({ ...options, expiresIn: '25h' }))).toBe(
      `expiresIn: the string "25h" is 90000 seconds, more than maxLifetime (24 h, the default); ` +
        `Agora caps a token's useful life at 24 h; raise maxLifetime to allow a longer lifetime`,
    )
    expect(messageOf(() => rtmToken({ ...options, expiresIn: 3_600_000 }))).toMatch(
      /^expiresIn 3600000 looks like milliseconds .*pass seconds, 3600$/,
    )
    expect(messageOf(() => rtmToken({ ...options, expiresIn: 3_600_000, guards: false }))).toMatch(
      /^expiresIn: 3600000 is 3600000 seconds, more than maxLifetime .*; if that is milliseconds, pass 3600;/,
    )
    expect(
      messageOf(() => rtmToken({ ...options, expiresAt: new Date(NOW_MS + 86_401_000) })),
    ).toMatch(
      /^expiresAt: 2025-06-16T15:06:41.000Z is 86401 seconds after the issue time, more than maxLifetime/,
    )
  })

  it('24 h is accepted, and so is more once maxLifetime is raised', () => {
    expect(decoded(rtmToken({ ...options, expiresIn: '24h' })).expire).toBe(86_400)
    expect(decoded(rtmToken({ ...options, expiresIn: '7d', maxLifetime: '7d' })).expire).toBe(
      604_800,
    )
    expect(messageOf(() => rtmToken({ ...options, expiresIn: '8d', maxLifetime: '7d' }))).toMatch(
      /more than maxLifetime \(604800 seconds\)/,
    )
  })

  it('privilege and RTM lifetimes are held to it too', () => {
    const rtc = {
      appId,
      appCertificate,
      source,
      channelName: 'r',
      uid: 1,
      role: 'publisher',
    } as const
    expect(messageOf(() => rtcToken({ ...rtc, privilegeExpiresIn: '2d' }))).toMatch(
      /^privilegeExpiresIn: .* more than maxLifetime/,
    )
    expect(
      messageOf(() => rtcToken({ ...rtc, privilegeExpiresIn: { publishVideoStream: 90_001 } })),
    ).toMatch(
      /^privilegeExpiresIn\.publishVideoStream: 90001 is 90001 seconds, more than maxLifetime/,
    )
    expect(messageOf(() => rtcToken({ ...rtc, rtmUserId: 'a', rtmExpiresIn: '1d1s' }))).toMatch(
      /^rtmExpiresIn: .* more than maxLifetime/,
    )
  })

  it('maxLifetime itself is checked', () => {
    expect(messageOf(() => rtmToken({ ...options, maxLifetime: 0 }))).toMatch(
      /^maxLifetime: expected a positive duration/,
    )
    expect(messageOf(() => rtmToken({ ...options, maxLifetime: '1y' }))).toMatch(
      /^maxLifetime: expected/,
    )
    expect(messageOf(() => rtmToken({ ...options, guards: 'no' as never }))).toMatch(
      /^guards: expected a boolean/,
    )
  })
})

describe('upper-case certificates', () => {
  const HINT =
    'appCertificate: has upper-case letters; Agora certificates are lower-case hex and are signed ' +
    'as ASCII text, so Agora rejects a token signed with an upper-cased one: pass ' +
    'appCertificate.toLowerCase()'

  it('the drop-ins refuse one, without showing it; guards off sign with it as agora-token does', () => {
    const name = 'RtcTokenBuilder.buildTokenWithUid'
    const args = [appId, upperCertificate, 'room', 42, 1, 600, 600]
    const message = messageOf(guardedCall(name, args))
    expect(message).toBe(HINT)
    expect(message).not.toContain(upperCertificate)
    const ours = expectReference(name, args)
    // The upper-cased text really is the key: the lower-case certificate signs another token.
    expect(ours).not.toBe(
      unguarded.RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room', 42, 1, 600, 600),
    )
  })

  it('the typed API and the legacy builders refuse one too', () => {
    expect(
      messageOf(() => rtmToken({ appId, appCertificate: upperCertificate, userId: 'a' })),
    ).toBe(HINT)
    expect(
      messageOf(() =>
        legacy.RtmTokenBuilder.buildToken(appId, upperCertificate, 'a', 1, NOW_MS / 1000 + 60),
      ),
    ).toBe(HINT)
  })

  it('the raw buildToken keeps accepting any 32 hex characters', () => {
    const raw = buildToken({
      appId,
      appCertificate: upperCertificate,
      expire: 600,
      issueTs: NOW_MS / 1000,
      salt: SALT,
      services: [{ type: 'rtm', userId: 'alice', privileges: { login: 600 } }],
    })
    expect(raw).toBe(unguarded.RtmTokenBuilder.buildToken(appId, upperCertificate, 'alice', 600))
  })
})

describe('the RTM wildcard user of a permissions token', () => {
  const permissions = () => {
    const p = new Rtm2Permissions()
    p.add(Rtm2Permissions.kMessageChannels, Rtm2Permissions.kRead, ['lobby'])
    return p
  }

  it('buildTokenWithPermissions(…, 0, …) is agora-token’s own wildcard test: user id ""', () => {
    const name = 'RtmTokenBuilder.buildTokenWithPermissions'
    const ours = guarded.RtmTokenBuilder.buildTokenWithPermissions(
      appId,
      appCertificate,
      0,
      permissions(),
      600,
    )
    expect(decoded(ours).services[0]).toMatchObject({ type: 'rtm2', userId: '' })
    const agoraPermissions = new agora.Rtm2Permissions()
    agoraPermissions.add(0, 0, ['lobby'])
    const theirs = agoraToken(name, [appId, appCertificate, 0, agoraPermissions, 600])
    expect(payloadHex(ours)).toBe(payloadHex(theirs))
  })

  it('an empty RTM user stays refused elsewhere, and "" in a permissions token too', () => {
    expect(
      messageOf(() =>
        guarded.RtmTokenBuilder.buildTokenWithPermissions(
          appId,
          appCertificate,
          '',
          permissions(),
          600,
        ),
      ),
    ).toMatch(/^userId: got the empty string .*; for a wildcard user pass the number 0$/)
    expect(
      messageOf(() => guarded.RtmTokenBuilder.buildToken(appId, appCertificate, 0, 600)),
    ).toMatch(/^userId: expected a non-empty string or an integer 1\.\.4294967295/)
    expect(messageOf(() => rtmToken({ appId, appCertificate, userId: 0 }))).toMatch(/^userId: /)
  })

  it('the typed API builds the wildcard user with permissions', () => {
    const token = rtmToken({
      appId,
      appCertificate,
      source,
      userId: 0,
      permissions: { 0: { 0: ['lobby'] } },
      expiresIn: 600,
    })
    expect(token).toBe(
      guarded.RtmTokenBuilder.buildTokenWithPermissions(
        appId,
        appCertificate,
        0,
        permissions(),
        600,
      ),
    )
  })
})
