// The legacy drop-in builders (agora-access-token 2.0.4's API): the builder vectors, the two
// reference bugs fixed, the inverted absolute-time guard, roles, accounts and the bound source.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { TokenError, decodeToken, legacy, verifyToken } from '../../src/index.js'
import { vectorFiles } from '../helpers/vectors.js'

const require = createRequire(import.meta.url)
const reference = require('agora-access-token')

const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const NOW_MS = 1_750_000_000_500
const NOW = Math.floor(NOW_MS / 1000)
const pinned = { now: () => NOW_MS, salt: () => 4242 }
const { RtcTokenBuilder, RtmTokenBuilder } = legacy.createLegacyBuilders(pinned)
const IN_AN_HOUR = NOW + 3600

function errorOf(f: () => unknown): TokenError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError)
    return e as TokenError
  }
  throw new Error('expected a TokenError, nothing was thrown')
}

const decode006 = (token: string) => {
  const decoded = decodeToken(token)
  if (decoded.version !== '006') throw new Error(`expected a 006 token, got ${decoded.version}`)
  return decoded
}

it('the guards refuse a known share of the 006 builder vectors, each reproduced below', () => {
  // Upper-case certificates (issue 12) and durations where absolute times belong (issue 3).
  const counts = vectorFiles('accesstoken006-builders').map((f) => [
    f.file.split('.')[0],
    f.vectors.length,
    f.vectors.filter((v) => /[A-F]/.test(v.args[1])).length,
    f.vectors.filter((v) => {
      const expireTs = v.args[v.args.length - 1]
      return expireTs !== 0 && expireTs < 946_684_800
    }).length,
  ])
  expect(counts).toEqual([
    ['node', 26, 15, 6],
    ['python3', 26, 15, 6],
  ])
})

describe.each(vectorFiles('accesstoken006-builders').map((f) => [f.file, f] as const))(
  '%s',
  (_name, file) => {
    it.each(file.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
      expect(v.ts).toBe(Math.floor(v.clockMs / 1000) + 86400)
      const source = { now: () => v.clockMs, salt: () => v.salt }
      const call = (builders: legacy.LegacyBuilders) => {
        const [group, method] = v.builder.split('.')
        return (builders as any)[group][method](...v.args)
      }
      const expireTs = v.args[v.args.length - 1]
      const rtc = v.builder.startsWith('RtcTokenBuilder.')
      if (/[A-F]/.test(v.args[1]) || (rtc && v.args[3] === '0')) {
        // An upper-case certificate or the uid string "0" (guards of issue 12): refused, and the
        // reference's token without the guards.
        const err = errorOf(() => call(legacy.createLegacyBuilders(source)))
        expect(err.code).toBe('ERR_INVALID_ARGUMENT')
        expect(err.message).toMatch(
          /^(appCertificate: has upper-case|uid: got the string "0"|account: got the string "0")/,
        )
        expect(call(legacy.createLegacyBuilders(source, { guards: false }))).toBe(v.token)
      } else if (expireTs !== 0 && expireTs < 946_684_800) {
        // A lifetime where an absolute time belongs: the guard refuses it and shows the probable
        // meaning; without the guards the reference's token comes out.
        const meant = Math.floor(v.clockMs / 1000) + expireTs
        const err = errorOf(() => call(legacy.createLegacyBuilders(source)))
        expect(err.code).toBe('ERR_INVALID_ARGUMENT')
        expect(err.message).toContain(`privilegeExpiredTs ${expireTs} looks like seconds from now`)
        expect(err.message).toContain(
          `pass ${meant} (${new Date(meant * 1000).toISOString().replace('.000Z', 'Z')})`,
        )
        expect(call(legacy.createLegacyBuilders(source, { guards: false }))).toBe(v.token)
      } else {
        expect(call(legacy.createLegacyBuilders(source))).toBe(v.token)
      }
    })
  },
)

describe('the reference bugs, fixed', () => {
  it('a fresh salt for every token (the reference draws one per process)', () => {
    const theirs = [0, 1].map(
      () => decode006(reference.RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 1, 0)).salt,
    )
    expect(theirs[0]).toBe(theirs[1])
    const ours = Array.from(
      { length: 20 },
      () => decode006(legacy.RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 1, 0)).salt,
    )
    expect(new Set(ours).size).toBeGreaterThan(15)
    for (const salt of ours) expect(salt >= 1 && salt <= 99_999_999).toBe(true)
  })

  it('a certificate that is not 32 hex characters is refused (the reference signs with "nope")', () => {
    expect(reference.RtcTokenBuilder.buildTokenWithUid(APP_ID, 'nope', 'c', 1, 1, 0)).toMatch(
      /^006/,
    )
    const err = errorOf(() => RtcTokenBuilder.buildTokenWithUid(APP_ID, 'nope', 'c', 1, 1, 0))
    expect(err).toMatchObject({ code: 'ERR_INVALID_ARGUMENT' })
    expect(err.message).toBe(
      'appCertificate: expected 32 hexadecimal characters, got a string of 4 characters',
    )
    expect(errorOf(() => RtmTokenBuilder.buildToken(APP_ID, '', 'alice', 1, 0)).message).toMatch(
      /^appCertificate: .*environment variable/,
    )
    expect(errorOf(() => RtmTokenBuilder.buildToken('nope', CERT, 'alice', 1, 0)).message).toMatch(
      /^appId: /,
    )
  })
})

describe('privilegeExpiredTs is an absolute time: the inverted guard', () => {
  it('takes absolute Unix seconds and 0 (no limit)', () => {
    expect(
      decode006(RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 2, IN_AN_HOUR)).privileges,
    ).toEqual({
      joinChannel: IN_AN_HOUR,
    })
    expect(decode006(RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 1, 0)).privileges).toEqual({
      rtmLogin: 0,
    })
    expect(
      decode006(RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 2, 946_684_800)).privileges,
    ).toEqual({
      joinChannel: 946_684_800,
    })
  })

  it.each([1, 3600, 86400, 946_684_799])(
    'refuses %i (seconds from now) with the absolute time meant',
    (seconds) => {
      for (const build of [
        () => RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 1, seconds),
        () => RtcTokenBuilder.buildTokenWithAccount(APP_ID, CERT, 'c', 'alice', 1, seconds),
        () => RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 1, seconds),
      ]) {
        const err = errorOf(build)
        expect(err.code).toBe('ERR_INVALID_ARGUMENT')
        expect(err.message).toMatch(
          new RegExp(
            `^privilegeExpiredTs ${seconds} looks like seconds from now, .*absolute Unix time .*pass ${NOW + seconds} \\(`,
          ),
        )
      }
    },
  )

  it('refuses milliseconds with the seconds meant', () => {
    const err = errorOf(() =>
      RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 1, IN_AN_HOUR * 1000 + 5),
    )
    expect(err.message).toMatch(
      new RegExp(`looks like milliseconds .*pass Unix seconds, ${IN_AN_HOUR}$`),
    )
  })

  it.each([[-1], [1.5], [2 ** 32], ['1750003600'], [undefined], [null], [NaN]])(
    'refuses %s',
    (value) => {
      const err = errorOf(() =>
        RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 1, value as number),
      )
      expect(err.message).toMatch(/^privilegeExpiredTs: expected an integer 0\.\.4294967295/)
    },
  )
})

describe('roles', () => {
  const privilegesOf = (role: number) =>
    Object.keys(
      decode006(RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, role, IN_AN_HOUR))
        .privileges,
    )
  const PUBLISH = ['joinChannel', 'publishAudioStream', 'publishVideoStream', 'publishDataStream']

  it('has the reference values', () => {
    expect(legacy.RtcRole).toEqual({ ATTENDEE: 0, PUBLISHER: 1, SUBSCRIBER: 2, ADMIN: 101 })
    expect({ ...legacy.RtcRole }).toEqual({ ...reference.RtcRole })
    expect({ ...legacy.RtmRole }).toEqual({ ...reference.RtmRole })
  })

  it('ATTENDEE, PUBLISHER and ADMIN publish; SUBSCRIBER joins only', () => {
    for (const role of [0, 1, 101]) expect(privilegesOf(role)).toEqual(PUBLISH)
    expect(privilegesOf(2)).toEqual(['joinChannel'])
  })

  it.each([[3], [-1], ['1'], ['publisher'], [undefined]])(
    'refuses role %s (the reference would make a join-only token)',
    (role) => {
      const err = errorOf(() =>
        RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, role as number, IN_AN_HOUR),
      )
      expect(err.code).toBe('ERR_INVALID_ARGUMENT')
      expect(err.message).toMatch(
        /^role: expected a legacy\.RtcRole \(ATTENDEE 0, PUBLISHER 1, SUBSCRIBER 2 or ADMIN 101\)/,
      )
      if (role === 'publisher') expect(err.message).toMatch(/use legacy\.RtcRole\.PUBLISHER$/)
    },
  )

  it('without the guards, any other integer role joins only, as in the reference', () => {
    const { RtcTokenBuilder: loose } = legacy.createLegacyBuilders(pinned, { guards: false })
    expect(loose.buildTokenWithUid(APP_ID, CERT, 'c', 1, 3, IN_AN_HOUR)).toBe(
      RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 2, IN_AN_HOUR),
    )
    expect(
      errorOf(() => loose.buildTokenWithUid(APP_ID, CERT, 'c', 1, '1' as never, IN_AN_HOUR)).code,
    ).toBe('ERR_INVALID_ARGUMENT')
  })

  it('the RTM role is not used, as in the reference, but must be an integer', () => {
    expect(RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 7, 0)).toBe(
      RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 1, 0),
    )
    expect(
      errorOf(() => RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', '1' as never, 0)).message,
    ).toMatch(/^role: expected RtmRole\.Rtm_User \(1\)/)
  })
})

describe('uids and accounts', () => {
  it('uid 0 is written as "" (any uid); a number and its decimal string give the same token', () => {
    expect(decode006(RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 0, 1, 0)).crcUid).toBe(0)
    expect(RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 42, 1, 0)).toBe(
      RtcTokenBuilder.buildTokenWithAccount(APP_ID, CERT, 'c', '42', 1, 0),
    )
  })

  it.each([[''], ['undefined'], ['null']])(
    'refuses the account %j, what a missing value becomes',
    (account) => {
      const err = errorOf(() =>
        RtcTokenBuilder.buildTokenWithAccount(APP_ID, CERT, 'c', account, 1, 0),
      )
      expect(err.message).toMatch(/^account: got the (empty )?string/)
      expect(
        errorOf(() => RtmTokenBuilder.buildToken(APP_ID, CERT, account, 1, 0)).message,
      ).toMatch(/^account: /)
      const loose = legacy.createLegacyBuilders(pinned, { guards: false })
      expect(loose.RtmTokenBuilder.buildToken(APP_ID, CERT, account, 1, 0)).toMatch(/^006/)
    },
  )

  it.each([[-1], [1.5], [2 ** 32], [null], [undefined], [{}]])('refuses the uid %s', (uid) => {
    expect(
      errorOf(() => RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', uid as number, 1, 0))
        .message,
    ).toMatch(/^uid: /)
  })

  it('refuses a channel name that is not a string, or "undefined"', () => {
    expect(
      errorOf(() => RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 5 as never, 1, 1, 0)).message,
    ).toMatch(/^channelName: /)
    expect(
      errorOf(() => RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'undefined', 1, 1, 0)).message,
    ).toMatch(/^channelName: /)
  })

  it('an RTM token carries the account as its channel and an empty uid, and verifies so', () => {
    const token = RtmTokenBuilder.buildToken(APP_ID, CERT, 12345, 1, IN_AN_HOUR)
    expect(token).toBe(RtmTokenBuilder.buildToken(APP_ID, CERT, '12345', 1, IN_AN_HOUR))
    const verified = verifyToken(token, CERT, {
      channelName: '12345',
      uid: 0,
      currentDate: new Date(NOW_MS),
    })
    expect(verified).toMatchObject({
      version: '006',
      privileges: { rtmLogin: IN_AN_HOUR },
      crcUid: 0,
    })
  })
})

describe('the bound source', () => {
  it('stamps ts = its second + 24 h and its salt', () => {
    const decoded = decode006(RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 1, 0))
    expect(decoded).toMatchObject({ ts: NOW + 86400, salt: 4242 })
  })

  it('gives the same token every time, and the builders work when destructured', () => {
    const { buildTokenWithAccount } = RtcTokenBuilder
    expect(buildTokenWithAccount(APP_ID, CERT, 'c', 'alice', 1, 0)).toBe(
      RtcTokenBuilder.buildTokenWithAccount(APP_ID, CERT, 'c', 'alice', 1, 0),
    )
  })

  it('is checked when bound, and its values when read', () => {
    expect(errorOf(() => legacy.createLegacyBuilders({ now: () => 1 } as never)).message).toMatch(
      /^source: expected an object with now\(\) and salt\(\)/,
    )
    const late = legacy.createLegacyBuilders({ now: () => 4_294_967_295_000, salt: () => 1 })
    expect(
      errorOf(() => late.RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 1, 0)).message,
    ).toMatch(/^ts: now \+ 24 h/)
    const badSalt = legacy.createLegacyBuilders({ now: () => NOW_MS, salt: () => -1 })
    expect(
      errorOf(() => badSalt.RtmTokenBuilder.buildToken(APP_ID, CERT, 'a', 1, 0)).message,
    ).toMatch(/^source\.salt\(\)/)
  })
})
