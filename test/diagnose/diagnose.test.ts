// diagnoseToken: one table row per finding code, each built from a real token (our builders with
// the guards off, agora-token as an outside builder, and the vectors in vectors/), then the
// properties every diagnosis has (ok iff an error, no certificate in any message, escaping).
import { RtcRole as AgoraRtcRole, RtcTokenBuilder as AgoraRtc } from 'agora-token'
import { describe, expect, it } from 'vitest'
import {
  buildToken,
  createTokenBuilders,
  diagnoseToken,
  InvalidArgument,
  legacy,
  type DiagnoseExpected,
  type FindingCode,
} from '../../src/index.js'
import { otherCertificate, vectorFiles } from '../helpers/vectors.js'

const appId = '970ca35de60c44645bbae8a215061b33'
const cert = '5cfd2fd1755d40ecb72977518be15d3b'
const otherAppId = '0123456789abcdef0123456789abcdef'
const issueTs = 1_800_000_000
const issueMs = issueTs * 1000
const at = (secondsAfterIssue: number) => new Date((issueTs + secondsAfterIssue) * 1000)

const { RtcTokenBuilder, RtmTokenBuilder, RtcRole } = {
  ...createTokenBuilders({ now: () => issueMs, salt: () => 1 }, { guards: false }),
  RtcRole: { PUBLISHER: 1, SUBSCRIBER: 2 } as const,
}
const legacyBuilders = legacy.createLegacyBuilders(
  { now: () => issueMs, salt: () => 1 },
  { guards: false },
)

const publisher = RtcTokenBuilder.buildTokenWithUid(
  appId,
  cert,
  'room-1',
  42,
  RtcRole.PUBLISHER,
  3600,
  3600,
)
const subscriber = RtcTokenBuilder.buildTokenWithUid(
  appId,
  cert,
  'room-1',
  42,
  RtcRole.SUBSCRIBER,
  3600,
  3600,
)
const byAccount = RtcTokenBuilder.buildTokenWithUserAccount(
  appId,
  cert,
  'room-1',
  'alice',
  RtcRole.PUBLISHER,
  3600,
  3600,
)
const rtm = RtmTokenBuilder.buildToken(appId, cert, 'alice', 3600)

interface Row {
  code: FindingCode
  severity: 'error' | 'warning' | 'info'
  agoraError?: number
  token: () => string
  expected?: DiagnoseExpected
  /** Text the message must contain (it says what to change). */
  says: RegExp
}

const invalid = vectorFiles('accesstoken2-invalid')[0].vectors
const vector006 = vectorFiles('accesstoken006').find((f) => f.file.startsWith('python3'))!
  .vectors[0]
const vector007 = vectorFiles('accesstoken2').find((f) => f.file.startsWith('python3'))!.vectors
const zeroStringVector = vector007.find((v: any) => v.services.some((s: any) => s.uid === '0'))

const rows: Row[] = [
  {
    code: 'MALFORMED',
    severity: 'error',
    agoraError: 110,
    token: () => invalid.find((v: any) => v.why === 'not-zlib').token,
    says: /not a token that can be read/,
  },
  {
    code: 'LEGACY_006',
    severity: 'warning',
    token: () => vector006.token,
    expected: {
      appCertificate: vector006.appCertificate,
      channelName: vector006.channelName,
      uid: Number(vector006.uid),
      at: new Date((vector006.ts - 60) * 1000),
    },
    says: /build an AccessToken2 \(007\)/,
  },
  {
    code: 'APP_ID_MISMATCH',
    severity: 'error',
    agoraError: 101,
    token: () => publisher,
    expected: { appId: otherAppId, at: at(10) },
    says: new RegExp(`for app ${appId}, the app uses ${otherAppId}`),
  },
  {
    code: 'SIGNATURE_INVALID',
    severity: 'error',
    agoraError: 110,
    token: () => invalid.find((v: any) => v.why === 'bad-signature').token,
    expected: {
      appCertificate: invalid.find((v: any) => v.why === 'bad-signature').appCertificate,
    },
    says: /signature does not match/,
  },
  {
    code: 'SIGNATURE_NOT_CHECKED',
    severity: 'info',
    token: () => publisher,
    expected: { at: at(10) },
    says: /give the app certificate/,
  },
  {
    code: 'EXPIRED',
    severity: 'error',
    agoraError: 109,
    token: () => publisher,
    expected: { appCertificate: cert, at: at(3600) },
    says: /expired at 2027-01-15T09:00:00Z \(just now\)/,
  },
  {
    code: 'PRIVILEGE_EXPIRED',
    severity: 'error',
    agoraError: 109,
    token: () => RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 42, 1, 3600, 60),
    expected: { appCertificate: cert, at: at(120) },
    says: /privilegeExpire = tokenExpire/,
  },
  {
    code: 'EXPIRES_SOON',
    severity: 'warning',
    token: () => publisher,
    expected: { appCertificate: cert, at: at(3400) },
    says: /expires at .* \(in 3m 20s\)/,
  },
  {
    code: 'ISSUED_IN_FUTURE',
    severity: 'warning',
    token: () => publisher,
    expected: { appCertificate: cert, at: at(-600) },
    says: /10m after the time it is judged at/,
  },
  {
    code: 'LIFETIME_OVER_24H',
    severity: 'warning',
    token: () =>
      RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 42, 1, 7 * 86_400, 7 * 86_400),
    expected: { appCertificate: cert, at: at(10) },
    says: /at most 86400/,
  },
  {
    code: 'EXPIRE_LOOKS_ABSOLUTE',
    severity: 'error',
    // The classic mistake: now + 3600 where seconds from now are expected.
    token: () =>
      RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 42, 1, issueTs + 3600, 3600),
    expected: { appCertificate: cert, at: at(10) },
    says: /Unix time 2027-01-15T09:\d\d:\d\dZ.*seconds, not a timestamp/,
  },
  {
    code: 'PRIVILEGE_LOOKS_ABSOLUTE',
    severity: 'error',
    token: () =>
      RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 42, 1, 3600, issueTs + 3600),
    expected: { appCertificate: cert, at: at(10) },
    says: /holds a Unix time/,
  },
  {
    code: 'ZERO_PRIVILEGE',
    severity: 'warning',
    // agora-token's default privilegeExpire is 0.
    token: () =>
      AgoraRtc.buildTokenWithUid(appId, cert, 'room-1', 42, AgoraRtcRole.PUBLISHER, 3600, 0),
    expected: { appCertificate: cert },
    says: /privilege joinChannel, publishAudioStream, publishVideoStream, publishDataStream is 0/,
  },
  {
    code: 'WRONG_SERVICE',
    severity: 'error',
    agoraError: 110,
    token: () =>
      AgoraRtc.buildTokenWithUid(appId, cert, 'room-1', 42, AgoraRtcRole.PUBLISHER, 3600, 3600),
    expected: { appCertificate: cert, service: 'rtm', userId: 'alice' },
    says: /an RTC token cannot log in to RTM/,
  },
  {
    code: 'CHANNEL_MISMATCH',
    severity: 'error',
    agoraError: 110,
    token: () => publisher,
    expected: { appCertificate: cert, channelName: 'Room-1 ', at: at(10) },
    says: /for channel "room-1", the app joins "Room-1 "\. They differ only in case/,
  },
  {
    code: 'UID_MISMATCH',
    severity: 'error',
    agoraError: 110,
    token: () => publisher,
    expected: { channelName: 'room-1', uid: 43, at: at(10) },
    says: /user is "42", the app joins as uid 43/,
  },
  {
    code: 'UID_ZERO_STRING',
    severity: 'error',
    agoraError: 110,
    token: () =>
      RtcTokenBuilder.buildTokenWithUserAccount(appId, cert, 'room-1', '0', 1, 3600, 3600),
    expected: { appCertificate: cert, uid: 0, at: at(10) },
    says: /Pass the number 0 to the builder, not the string "0"/,
  },
  {
    code: 'ACCOUNT_VS_UID',
    severity: 'error',
    agoraError: 110,
    token: () => byAccount,
    expected: { appCertificate: cert, uid: 42, at: at(10) },
    says: /string account "alice", but the app joins with the numeric uid 42/,
  },
  {
    code: 'ROLE_MISMATCH',
    severity: 'error',
    token: () => subscriber,
    expected: { appCertificate: cert, role: 'publisher', at: at(10) },
    says: /grants only joinChannel/,
  },
  {
    code: 'WILDCARD_UID',
    severity: 'info',
    token: () => RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 0, 1, 3600, 3600),
    expected: { appCertificate: cert, uid: 7, at: at(10) },
    says: /any uid/,
  },
]

describe('diagnoseToken: one row per finding code', () => {
  it.each(rows)('$code', (row) => {
    const result = diagnoseToken(row.token(), row.expected)
    const found = result.findings.filter((f) => f.code === row.code)
    expect(found.length, JSON.stringify(result.findings, null, 1)).toBeGreaterThan(0)
    expect(found[0].severity).toBe(row.severity)
    expect(found[0].agoraError).toBe(row.agoraError)
    expect(found[0].message).toMatch(row.says)
    if (row.severity !== 'info') expect(found[0].fix).toEqual(expect.any(String))
    expect(result.ok).toBe(!result.findings.some((f) => f.severity === 'error'))
  })

  it('covers every finding code of the contract', () => {
    const contract: FindingCode[] = [
      'MALFORMED',
      'LEGACY_006',
      'APP_ID_MISMATCH',
      'SIGNATURE_INVALID',
      'SIGNATURE_NOT_CHECKED',
      'EXPIRED',
      'PRIVILEGE_EXPIRED',
      'EXPIRES_SOON',
      'ISSUED_IN_FUTURE',
      'LIFETIME_OVER_24H',
      'EXPIRE_LOOKS_ABSOLUTE',
      'PRIVILEGE_LOOKS_ABSOLUTE',
      'ZERO_PRIVILEGE',
      'WRONG_SERVICE',
      'CHANNEL_MISMATCH',
      'UID_MISMATCH',
      'UID_ZERO_STRING',
      'ACCOUNT_VS_UID',
      'ROLE_MISMATCH',
      'WILDCARD_UID',
    ]
    expect(rows.map((r) => r.code).sort()).toEqual([...contract].sort())
  })
})

describe('diagnoseToken: a good token', () => {
  it('has no finding but the ones it asks for', () => {
    const result = diagnoseToken(publisher, {
      appId,
      appCertificate: cert,
      service: 'rtc',
      channelName: 'room-1',
      uid: 42,
      role: 'publisher',
      at: at(10),
    })
    expect(result).toMatchObject({ ok: true, findings: [] })
    expect(result.token).toMatchObject({ version: '007', appId, issueTs, expire: 3600 })
  })

  it('finds nothing wrong in the RTM login of an RTC + RTM token', () => {
    const token = RtcTokenBuilder.buildTokenWithRtm(appId, cert, 'room-1', 'alice', 1, 3600, 3600)
    const result = diagnoseToken(token, {
      appCertificate: cert,
      service: 'rtm',
      userId: 'alice',
      at: at(1),
    })
    expect(result.findings).toEqual([])
    const other = diagnoseToken(rtm, { appCertificate: cert, userId: 'bob', at: at(1) })
    expect(other.findings.map((f) => f.code)).toEqual(['UID_MISMATCH'])
  })

  it('accepts a certificate list when one of them signed the token (rotation)', () => {
    const result = diagnoseToken(publisher, {
      appCertificates: [otherCertificate(cert), cert],
      at: at(1),
    })
    expect(result.findings).toEqual([])
    const wrong = diagnoseToken(publisher, { appCertificates: [otherCertificate(cert)], at: at(1) })
    expect(wrong.findings.map((f) => f.code)).toEqual(['SIGNATURE_INVALID'])
  })

  it('judges every python3 vector as signed with its certificate', () => {
    for (const v of vector007) {
      const result = diagnoseToken(v.token, {
        appCertificate: v.appCertificate,
        at: new Date(v.issueTs * 1000),
      })
      const codes = result.findings.map((f) => f.code)
      expect(codes, v.id).not.toContain('SIGNATURE_INVALID')
      expect(codes, v.id).not.toContain('MALFORMED')
      const wrong = diagnoseToken(v.token, { appCertificate: otherCertificate(v.appCertificate) })
      expect(
        wrong.findings.map((f) => f.code),
        v.id,
      ).toContain('SIGNATURE_INVALID')
    }
  })

  it('reads every invalid vector as MALFORMED or SIGNATURE_INVALID, never ok with its certificate', () => {
    for (const v of invalid) {
      const result = diagnoseToken(v.token, { appCertificate: v.appCertificate })
      const codes = result.findings.map((f) => f.code)
      if (result.ok) {
        // Only the forward-compatible case passes: an unknown service type appended, re-signed.
        expect(v.referenceAccepts, v.id).toBe(true)
        expect(codes, v.id).toContain('UNKNOWN_SERVICE')
        continue
      }
      expect(
        codes.includes('MALFORMED') || codes.includes('SIGNATURE_INVALID'),
        `${v.id}: ${codes.join()}`,
      ).toBe(true)
    }
  })
})

describe('diagnoseToken: the finer cases', () => {
  it('reads uid 0 as "the SDK assigns one": a token for one uid does not fit it', () => {
    const result = diagnoseToken(publisher, { uid: 0, at: at(1) })
    expect(result.findings.map((f) => f.code)).toContain('UID_MISMATCH')
    expect(result.findings[0].message).toMatch(/uid 0 \(the SDK assigns a uid\)/)
  })

  it('reports the account "0" once: an error when the app joins with uid 0', () => {
    const token = RtcTokenBuilder.buildTokenWithUserAccount(appId, cert, 'c', '0', 1, 3600, 3600)
    const zero = diagnoseToken(token, { uid: 0, at: at(1) }).findings
    expect(zero.filter((f) => f.code === 'UID_ZERO_STRING').map((f) => f.severity)).toEqual([
      'error',
    ])
    const none = diagnoseToken(token, { at: at(1) }).findings
    expect(none.filter((f) => f.code === 'UID_ZERO_STRING').map((f) => f.severity)).toEqual([
      'warning',
    ])
  })

  it('reports the account "0" in a vector token as UID_ZERO_STRING without an expectation', () => {
    const result = diagnoseToken(zeroStringVector.token)
    const f = result.findings.find((x) => x.code === 'UID_ZERO_STRING')
    expect(f?.severity).toBe('warning')
  })

  it('tells an account expected of a numeric-uid token apart from a mismatch', () => {
    expect(diagnoseToken(publisher, { account: 'alice', at: at(1) }).findings[0].code).toBe(
      'ACCOUNT_VS_UID',
    )
    expect(diagnoseToken(byAccount, { account: 'bob', at: at(1) }).findings[0].code).toBe(
      'UID_MISMATCH',
    )
    expect(diagnoseToken(byAccount, { account: 'alice', at: at(1) }).ok).toBe(true)
  })

  it('sees a subscriber token built by agora-token with a role it does not know as join-only', () => {
    const token = AgoraRtc.buildTokenWithUid(appId, cert, 'room-1', 42, 101 as never, 3600, 3600)
    expect(diagnoseToken(token, { role: 'publisher' }).findings[0].code).toBe('ROLE_MISMATCH')
  })

  it('expects services that carry the field: a channel of an RTM-only token is WRONG_SERVICE', () => {
    const result = diagnoseToken(rtm, { channelName: 'room-1', at: at(1) })
    expect(result.findings.map((f) => f.code)).toEqual(['WRONG_SERVICE', 'SIGNATURE_NOT_CHECKED'])
  })

  it('reports privileges that expired before a still-valid token, not after an expired one', () => {
    const token = RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 42, 1, 3600, 60)
    const later = diagnoseToken(token, { at: at(4000) }).findings.map((f) => f.code)
    expect(later).toContain('EXPIRED')
    expect(later).not.toContain('PRIVILEGE_EXPIRED')
  })

  it('flags a service without privileges, and a raw token whose expire is 0', () => {
    const token = buildToken({
      appId,
      appCertificate: cert,
      issueTs,
      salt: 1,
      expire: 0,
      services: [{ type: 'rtc', channelName: 'c', uid: 1, privileges: {} }],
    })
    const result = diagnoseToken(token, { at: at(0) })
    expect(result.findings.map((f) => f.code)).toEqual([
      'EXPIRED',
      'NO_PRIVILEGES',
      'SIGNATURE_NOT_CHECKED',
    ])
    expect(result.findings[0].message).toMatch(/expire is 0/)
  })

  it('hints at the usual damage done to a token on its way', () => {
    const message = (t: string) => diagnoseToken(t).findings[0].message
    expect(message(` ${publisher}\n`)).toMatch(/spaces or line breaks around it/)
    expect(message(encodeURIComponent(publisher))).toMatch(/URL escapes/)
    expect(message(publisher.replace(/\+/g, '-').replace(/\//g, '_'))).toMatch(/base64url/)
    expect(message(`"${publisher}"`)).toMatch(/starts with a quote/)
    expect(message(`${publisher.slice(0, 40)}\n${publisher.slice(40)}`)).toMatch(/inside/)
    expect(diagnoseToken(42 as unknown as string).findings[0].code).toBe('MALFORMED')
    expect(diagnoseToken('').findings[0].message).toMatch(/token is empty/)
  })

  it('checks 006 tokens: legacy builders, CRCs of channel and uid, absolute times', () => {
    const expireTs = issueTs + 3600
    const token = legacyBuilders.RtcTokenBuilder.buildTokenWithUid(
      appId,
      cert,
      'room-1',
      42,
      legacy.RtcRole.SUBSCRIBER,
      expireTs,
    )
    const good = diagnoseToken(token, {
      appCertificate: cert,
      channelName: 'room-1',
      uid: 42,
      at: at(10),
    })
    expect(good.findings.map((f) => f.code)).toEqual(['LEGACY_006'])
    expect(good.findings[0].fix).toMatch(/RtcTokenBuilder\.buildTokenWithUid/)
    const bad = diagnoseToken(token, {
      appCertificate: cert,
      channelName: 'room-2',
      uid: 43,
      role: 'publisher',
      service: 'rtc',
      at: at(4000),
    })
    expect(bad.findings.map((f) => f.code)).toEqual([
      'PRIVILEGE_EXPIRED',
      'CHANNEL_MISMATCH',
      'UID_MISMATCH',
      'ROLE_MISMATCH',
      'LEGACY_006',
      'SIGNATURE_NOT_CHECKED',
    ])
    const wrongCert = diagnoseToken(token, {
      appCertificate: otherCertificate(cert),
      channelName: 'room-1',
      uid: 42,
      at: at(1),
    })
    expect(wrongCert.findings.map((f) => f.code)).toContain('SIGNATURE_INVALID')
    // The 006 builders take absolute times: a lifetime passed there expired in 1970.
    const relativeMistake = legacyBuilders.RtcTokenBuilder.buildTokenWithUid(
      appId,
      cert,
      'room-1',
      42,
      legacy.RtcRole.PUBLISHER,
      3600,
    )
    expect(diagnoseToken(relativeMistake, { at: at(1) }).findings[0].message).toMatch(
      /expired in 1970/,
    )
    const rtm006 = legacyBuilders.RtmTokenBuilder.buildToken(
      appId,
      cert,
      'alice',
      legacy.RtmRole.Rtm_User,
      expireTs,
    )
    expect(diagnoseToken(rtm006, { service: 'rtc', at: at(1) }).findings[0].code).toBe(
      'WRONG_SERVICE',
    )
    expect(
      diagnoseToken(rtm006, {
        appCertificate: cert,
        service: 'rtm',
        userId: 'alice',
        at: at(1),
      }).findings.map((f) => f.code),
    ).toEqual(['LEGACY_006'])
    expect(diagnoseToken(token, { service: 'rtm', at: at(1) }).findings[0].message).toMatch(
      /cannot log in to RTM/,
    )
  })
})

describe('diagnoseToken: messages', () => {
  const hostile = 'room\u202e1\u0007\n"x"\\'
  const token = buildToken({
    appId,
    appCertificate: cert,
    issueTs,
    salt: 1,
    expire: 3600,
    services: [
      { type: 'rtc', channelName: hostile, uid: 'x\u2066y', privileges: { joinChannel: 3600 } },
    ],
  })

  it('escapes control characters, bidi overrides, quotes and backslashes from the token', () => {
    const result = diagnoseToken(token, { channelName: 'room', uid: 7, at: at(1) })
    const text = result.findings.map((f) => f.message).join('\n')
    expect(text).toContain('"room\\u202e1\\u0007\\u000a\\"x\\"\\\\"')
    expect(text).toContain('"x\\u2066y"')
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e\u2066]/)
  })

  it('never contains a certificate, whatever the finding', () => {
    for (const row of rows) {
      const result = diagnoseToken(row.token(), { ...row.expected })
      for (const f of result.findings) {
        for (const secret of [cert, otherCertificate(cert), row.expected?.appCertificate]) {
          if (secret === undefined) continue
          expect(`${f.message} ${f.fix}`.toLowerCase()).not.toContain(secret.toLowerCase())
        }
      }
    }
  })

  it('refuses malformed expectations with InvalidArgument, never echoing a certificate', () => {
    const bad = [
      { appCertificate: 'not-a-certificate-but-a-secret!!' },
      { appCertificates: 'x' as never },
      { appId: 'short' },
      { service: 'video' as never },
      { uid: -1 },
      { uid: 1, account: 'a' },
      { role: 'host' as never },
      { at: new Date(Number.NaN) },
      'rtc' as never,
    ]
    for (const expected of bad) {
      let error: unknown
      try {
        diagnoseToken(publisher, expected)
      } catch (err) {
        error = err
      }
      expect(error, JSON.stringify(expected)).toBeInstanceOf(InvalidArgument)
      expect((error as Error).message).not.toContain('but-a-secret')
    }
  })

  it('sorts errors first, then warnings, then notes; ok is false iff there is an error', () => {
    const token = RtcTokenBuilder.buildTokenWithUid(appId, cert, 'room-1', 0, 2, 7 * 86_400, 0)
    const result = diagnoseToken(token, { role: 'publisher', at: at(1) })
    const severities = result.findings.map((f) => f.severity)
    expect(severities).toEqual(
      [...severities].sort((a, b) => 'ewi'.indexOf(a[0]) - 'ewi'.indexOf(b[0])),
    )
    expect(severities).toEqual(['error', 'warning', 'warning', 'info', 'info'])
    expect(result.ok).toBe(false)
    expect(
      diagnoseToken(RtcTokenBuilder.buildTokenWithUid(appId, cert, 'c', 0, 1, 7 * 86_400, 0)).ok,
    ).toBe(true)
  })
})
