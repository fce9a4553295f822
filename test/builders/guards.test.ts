// The guards of issues 3 and 12, one by one: what they refuse, what they let through, and what their
// messages tell the caller. Builders and the typed API use them; the raw buildToken does not.
import { describe, expect, it } from 'vitest'
import { InvalidArgument } from '../../src/errors.js'
import {
  ANY_UID,
  WILDCARD_USER,
  checkApp,
  checkIdentity,
  checkName,
  checkRtcRole,
  checkSeconds,
  looksLikeMilliseconds,
} from '../../src/builders/guards.js'

function messageOf(call: () => unknown): string {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgument)
    expect((error as InvalidArgument).code).toBe('ERR_INVALID_ARGUMENT')
    return (error as Error).message
  }
  throw new Error('expected an InvalidArgument')
}

describe('lifetimes are seconds from now', () => {
  it('an absolute Unix time is refused with the convention and the date it names', () => {
    // `date -u -d @1795000000` → Wed Nov 18 11:06:40 UTC 2026
    expect(messageOf(() => checkSeconds(1_795_000_000, 'expire', true))).toBe(
      'expire 1795000000 looks like an absolute time (2026-11-18T11:06:40Z); pass seconds from now, e.g. 3600',
    )
  })

  it('the hint shows the relative value that was probably meant', () => {
    expect(
      messageOf(() => checkSeconds(1_795_000_000, 'tokenExpire', true, 1_794_996_400)),
    ).toMatch(
      /^tokenExpire 1795000000 looks like an absolute time \(2026-11-18T11:06:40Z\); pass seconds from now, e\.g\. 3600 \(that time is 3600 seconds from now\)$/,
    )
    expect(messageOf(() => checkSeconds(1_795_000_000, 'expire', true, 1_795_000_001))).toMatch(
      /already past\)$/,
    )
  })

  it('milliseconds since the epoch get the same kind of hint', () => {
    expect(messageOf(() => checkSeconds(1_795_000_000_000, 'expire', true))).toBe(
      'expire 1795000000000 looks like an absolute time in milliseconds (2026-11-18T11:06:40Z); pass seconds from now, e.g. 3600',
    )
  })

  it('a duration in milliseconds beyond uint32 is shown in seconds', () => {
    expect(messageOf(() => checkSeconds(7_200_000_000, 'expire', true))).toMatch(
      /if that is milliseconds, pass 7200000$/,
    )
  })

  it('a numeric string is refused with the number to pass instead', () => {
    expect(messageOf(() => checkSeconds('3600', 'expire', true))).toMatch(
      /got the string "3600"; pass the number 3600$/,
    )
  })

  it.each([
    [946_684_799, true], // 1999-12-31T23:59:59Z: the last value let through below the window
    [946_684_800, false], // 2000-01-01
    [4_102_444_799, false], // the last second of 2099
    [4_102_444_800, true], // 2100-01-01
    [0, true],
    [0xffff_ffff, true],
  ])('the window is [2000-01-01, 2100-01-01): %i passes: %s', (value, passes) => {
    if (passes) expect(checkSeconds(value, 'expire', true)).toBe(value)
    else expect(() => checkSeconds(value, 'expire', true)).toThrow(/looks like an absolute time/)
  })

  it('without the guards an absolute-looking value passes, but not one beyond uint32', () => {
    expect(checkSeconds(1_795_000_000, 'expire', false)).toBe(1_795_000_000)
    expect(() => checkSeconds(1_795_000_000_000, 'expire', false)).toThrow(InvalidArgument)
    expect(() => checkSeconds(-1, 'expire', false)).toThrow(
      'expire: expected seconds from now, an integer 0..4294967295, got -1',
    )
  })
})

describe('identities (uid, account, user id)', () => {
  it.each([
    [42, '42'],
    [0xffff_ffff, '4294967295'],
    ['alice', 'alice'],
    [' ', ' '],
  ])('%j is written as %j', (value, text) => {
    expect(checkIdentity(value, 'uid', true, 'any uid')).toBe(text)
    expect(checkIdentity(value, 'userId', true)).toBe(text)
  })

  it('uid 0 means any uid in RTC and is written as ""; elsewhere it is refused', () => {
    expect(checkIdentity(0, 'uid', true, 'any uid')).toBe('')
    expect(messageOf(() => checkIdentity(0, 'userId', true))).toBe(
      'userId: expected a non-empty string or an integer 1..4294967295 (0 would be written as an empty id), got 0',
    )
  })

  it('the empty string is refused, with a hint at an unset variable and, in RTC, at uid 0', () => {
    expect(messageOf(() => checkIdentity('', 'uid', true, 'any uid'))).toBe(
      'uid: got the empty string (is the variable that should hold it set?); for any uid pass the number 0',
    )
    expect(messageOf(() => checkIdentity('', 'userId', true))).toBe(
      'userId: got the empty string (is the variable that should hold it set?)',
    )
  })

  it.each(['undefined', 'null'])(
    'the string %j is refused as a missing value turned into text',
    (value) => {
      expect(messageOf(() => checkIdentity(value, 'account', true))).toMatch(
        new RegExp(`^account: got the string "${value}", which is what a missing value becomes`),
      )
    },
  )

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['NaN', Number.NaN],
    ['-1', -1],
    ['1.5', 1.5],
    ['2^32', 2 ** 32],
    ['an object', {}],
  ])('%s is refused, guards or not', (_label, value) => {
    expect(messageOf(() => checkIdentity(value, 'uid', true, 'any uid'))).toMatch(
      /^uid: expected a non-empty string or an integer 0\.\.4294967295, got /,
    )
    expect(() => checkIdentity(value, 'uid', false)).toThrow(InvalidArgument)
  })

  it('without the guards, "", "undefined" and 0 pass as agora-token writes them', () => {
    expect(checkIdentity('', 'userId', false)).toBe('')
    expect(checkIdentity('undefined', 'userId', false)).toBe('undefined')
    expect(checkIdentity(0, 'userId', false)).toBe('')
  })

  it('text the format cannot carry is refused under the argument name', () => {
    expect(messageOf(() => checkIdentity('\uD800', 'account', true))).toMatch(
      /^account: contains a lone UTF-16 surrogate/,
    )
  })
})

describe('names (channel, room)', () => {
  it('any string passes, the empty one included', () => {
    expect(checkName('', 'channelName', true)).toBe('')
    expect(checkName('room 1', 'channelName', true)).toBe('room 1')
  })

  it('"undefined" and "null" are refused with the guards, and non-strings always', () => {
    expect(() => checkName('undefined', 'channelName', true)).toThrow(
      /^channelName: got the string "undefined"/,
    )
    expect(checkName('null', 'channelName', false)).toBe('null')
    expect(() => checkName(42, 'channelName', false)).toThrow(
      'channelName: expected a string, got 42',
    )
  })
})

describe('RTC roles', () => {
  it('RtcRole.PUBLISHER publishes, RtcRole.SUBSCRIBER does not', () => {
    expect(checkRtcRole(1, 'role', true)).toBe(true)
    expect(checkRtcRole(2, 'role', true)).toBe(false)
  })

  it.each([0, 3, 101, -1, 1.5, Number.NaN, '1', null, undefined])(
    '%j is refused rather than made join-only',
    (value) => {
      expect(messageOf(() => checkRtcRole(value, 'role', true))).toMatch(
        /^role: expected RtcRole\.PUBLISHER \(1\) or RtcRole\.SUBSCRIBER \(2\), got /,
      )
    },
  )

  it('a role name points at the constant', () => {
    expect(messageOf(() => checkRtcRole('publisher', 'rtcRole', true))).toMatch(
      /; use RtcRole\.PUBLISHER$/,
    )
  })

  it('without the guards any integer role is join-only, as in agora-token; other types are still refused', () => {
    expect(checkRtcRole(0, 'role', false)).toBe(false)
    expect(checkRtcRole(101, 'role', false)).toBe(false)
    expect(() => checkRtcRole('1', 'role', false)).toThrow(InvalidArgument)
  })
})

describe('app credentials', () => {
  const appId = '970ca35de60c44645bbae8a215061b33'
  const certificate = '5cfd2fd1755d40ecb72977518be15d3b'

  it('an empty or missing value hints at an unset environment variable', () => {
    expect(messageOf(() => checkApp('', certificate, true))).toMatch(
      /^appId: .*is the environment variable that should hold it set\?/,
    )
    expect(messageOf(() => checkApp(appId, undefined, true))).toMatch(
      /^appCertificate: .*is the environment variable that should hold it set\?/,
    )
  })

  it('the certificate is described by its shape, never shown', () => {
    const wrong = 'z' + certificate.slice(1)
    const message = messageOf(() => checkApp(appId, wrong, true))
    expect(message).toBe(
      'appCertificate: expected 32 hexadecimal characters, got a string of 32 characters that are not all hexadecimal',
    )
    expect(message).not.toContain(wrong)
  })

  it('appId is checked first', () => {
    expect(messageOf(() => checkApp('x', 'y', true))).toMatch(/^appId:/)
  })
})

describe('the guards of issue 12, one by one', () => {
  it('milliseconds: over 24 h and a multiple of 1,000, in strict mode only', () => {
    for (const ok of [0, 1000, 86_000, 86_400, 86_401, 87_001, 604_800]) {
      expect(looksLikeMilliseconds(ok)).toBe(false)
      expect(checkSeconds(ok, 'expire', true)).toBe(ok)
    }
    for (const bad of [87_000, 3_600_000, 86_400_000, 946_683_000]) {
      expect(looksLikeMilliseconds(bad)).toBe(true)
      expect(messageOf(() => checkSeconds(bad, 'expire', true))).toMatch(
        new RegExp(`^expire ${bad} looks like milliseconds .*; pass seconds, ${bad / 1000}$`),
      )
      expect(checkSeconds(bad, 'expire', false)).toBe(bad)
    }
    // The absolute-time window keeps its own message.
    expect(messageOf(() => checkSeconds(1_795_000_000, 'expire', true))).toMatch(/absolute time/)
  })

  it('the string "0" is refused for RTC identities only, and only in strict mode', () => {
    expect(messageOf(() => checkIdentity('0', 'uid', true, ANY_UID))).toMatch(
      /^uid: got the string "0", which makes a token for the account "0", not for any uid/,
    )
    expect(checkIdentity('0', 'uid', false, ANY_UID)).toBe('0')
    expect(checkIdentity('0', 'userId', true)).toBe('0')
    expect(checkIdentity('00', 'uid', true, ANY_UID)).toBe('00')
  })

  it('a permissions token’s wildcard user: 0 is written as "", the empty string still refused', () => {
    expect(checkIdentity(0, 'userId', true, WILDCARD_USER)).toBe('')
    expect(checkIdentity('0', 'userId', true, WILDCARD_USER)).toBe('0')
    expect(messageOf(() => checkIdentity('', 'userId', true, WILDCARD_USER))).toMatch(
      /; for a wildcard user pass the number 0$/,
    )
  })

  it('an upper-case certificate in strict mode, never shown', () => {
    const appId = '970ca35de60c44645bbae8a215061b33'
    const upper = '5CFD2FD1755D40ECB72977518BE15D3B'
    const message = messageOf(() => checkApp(appId, upper, true))
    expect(message).toMatch(/^appCertificate: has upper-case letters/)
    expect(message).not.toContain(upper)
    expect(() => checkApp(appId, upper, false)).not.toThrow()
    // Only the certificate: an upper-case app id is the raw layer's business.
    expect(() => checkApp(appId.toUpperCase(), upper.toLowerCase(), true)).not.toThrow()
  })
})
