// verifyToken: structure, then signature, then app id, time and required services.
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  TokenClaimMismatch,
  TokenError,
  TokenExpired,
  TokenPrivilegeMissing,
  TokenSignatureInvalid,
  buildToken,
  decodeToken,
  verifyToken,
  type VerifyOptions,
} from '../../../src/index.js'

const appId = '970ca35de60c44645bbae8a215061b33'
const cert = '5cfd2fd1755d40ecb72977518be15d3b'
const otherCert = '0cfd2fd1755d40ecb72977518be15d3b'
const issueTs = 1_800_000_000
const at = (secondsAfterIssue: number) => new Date((issueTs + secondsAfterIssue) * 1000)

const token = buildToken({
  appId,
  appCertificate: cert,
  issueTs,
  salt: 7,
  expire: 3600,
  services: [
    {
      type: 'rtc',
      channelName: 'room-1',
      uid: 42,
      privileges: { joinChannel: 3600, publishAudioStream: 600, publishVideoStream: 0 },
    },
    { type: 'rtc', channelName: 'lobby', uid: 0, privileges: { joinChannel: 3600 } },
    { type: 'rtm', userId: 'alice', privileges: { login: 3600 } },
  ],
})

function errorOf(fn: () => unknown): TokenError {
  try {
    fn()
  } catch (e) {
    if (e instanceof TokenError) return e
    throw e
  }
  throw new Error('expected a TokenError, got a result')
}

function verify(options: VerifyOptions = {}, certs: string | string[] = cert) {
  return verifyToken(token, certs, { currentDate: at(0), ...options })
}

describe('signature', () => {
  it('accepts the right certificate and reports index 0', () => {
    expect(verify().certificateIndex).toBe(0)
  })

  it('rejects a wrong certificate with ERR_TOKEN_SIGNATURE', () => {
    const e = errorOf(() => verify({}, otherCert))
    expect(e).toBeInstanceOf(TokenSignatureInvalid)
    expect(e.code).toBe('ERR_TOKEN_SIGNATURE')
    expect(e.message).not.toContain(otherCert)
  })

  it('rotation: a list of certificates reports which one matched', () => {
    expect(verify({}, [otherCert, cert]).certificateIndex).toBe(1)
    expect(errorOf(() => verify({}, [otherCert, otherCert.replace('0', '1')])).code).toBe(
      'ERR_TOKEN_SIGNATURE',
    )
  })

  it('the certificate is ASCII text: another letter case is another certificate', () => {
    expect(errorOf(() => verify({}, cert.toUpperCase())).code).toBe('ERR_TOKEN_SIGNATURE')
  })

  it('is checked before time: a forged expired token is a signature error', () => {
    expect(errorOf(() => verify({ currentDate: at(10_000) }, otherCert)).code).toBe(
      'ERR_TOKEN_SIGNATURE',
    )
  })
})

describe('time', () => {
  it('is valid until issuedAt + expire, exclusive', () => {
    expect(verify({ currentDate: at(3599) }).version).toBe('007')
    const e = errorOf(() => verify({ currentDate: at(3600) }))
    expect(e).toBeInstanceOf(TokenExpired)
    expect(e.code).toBe('ERR_TOKEN_EXPIRED')
    expect((e as TokenExpired).token).toMatchObject({ appId, issueTs, expire: 3600 })
    expect(e.message).toContain(`token expired at ${at(3600).toISOString()}`)
  })

  it('clockTolerance forgives a verifier clock that runs ahead', () => {
    expect(verify({ currentDate: at(3629), clockTolerance: 30 }).version).toBe('007')
    expect(errorOf(() => verify({ currentDate: at(3630), clockTolerance: 30 })).code).toBe(
      'ERR_TOKEN_EXPIRED',
    )
  })

  it('defaults to the real clock', () => {
    const fresh = buildToken({
      appId,
      appCertificate: cert,
      expire: 60,
      services: [{ type: 'fpa', privileges: {} }],
    })
    expect(verifyToken(fresh, cert).version).toBe('007')
    const old = buildToken({
      appId,
      appCertificate: cert,
      issueTs: 1_600_000_000,
      expire: 60,
      services: [{ type: 'fpa', privileges: {} }],
    })
    expect(errorOf(() => verifyToken(old, cert)).code).toBe('ERR_TOKEN_EXPIRED')
  })
})

describe('appId', () => {
  it('must match, case-insensitively', () => {
    expect(verify({ appId: appId.toUpperCase() }).appId).toBe(appId)
    const e = errorOf(() => verify({ appId: 'a'.repeat(32) }))
    expect(e).toBeInstanceOf(TokenClaimMismatch)
    expect((e as TokenClaimMismatch).claim).toBe('appId')
    expect((e as TokenClaimMismatch).token?.appId).toBe(appId)
  })
})

describe('require', () => {
  it('passes when a matching service grants a live privilege', () => {
    expect(
      verify({
        require: { service: 'rtc', privilege: 'joinChannel', channelName: 'room-1', uid: 42 },
      }).version,
    ).toBe('007')
    expect(
      verify({ require: { service: 'rtc', privilege: 1, channelName: 'room-1', uid: '42' } })
        .version,
    ).toBe('007')
    expect(
      verify({ require: { service: 'rtm', privilege: 'login', userId: 'alice' } }).version,
    ).toBe('007')
  })

  it('uid 0 ("") in the token admits any uid', () => {
    expect(
      verify({
        require: { service: 'rtc', privilege: 'joinChannel', channelName: 'lobby', uid: 9999 },
      }).version,
    ).toBe('007')
  })

  it('names the claim that does not match', () => {
    const claim = (options: VerifyOptions) =>
      (errorOf(() => verify(options)) as TokenClaimMismatch).claim
    expect(claim({ require: { service: 'chat' } })).toBe('service')
    expect(claim({ require: { service: 'rtc', channelName: 'other' } })).toBe('channelName')
    expect(claim({ require: { service: 'rtc', channelName: 'room-1', uid: 43 } })).toBe('uid')
    expect(claim({ require: { service: 'rtm', userId: 'bob' } })).toBe('userId')
    expect(errorOf(() => verify({ require: { service: 'rtm', userId: 'bob' } })).code).toBe(
      'ERR_TOKEN_CLAIM',
    )
  })

  it('a privilege that is absent or has expired is ERR_TOKEN_PRIVILEGE', () => {
    const absent = errorOf(() =>
      verify({
        require: { service: 'rtc', privilege: 'publishDataStream', channelName: 'room-1' },
      }),
    )
    expect(absent).toBeInstanceOf(TokenPrivilegeMissing)
    expect(absent.message).toContain('does not grant privilege publishDataStream')
    expect(
      verify({
        currentDate: at(599),
        require: { service: 'rtc', privilege: 'publishAudioStream', channelName: 'room-1' },
      }).version,
    ).toBe('007')
    const expired = errorOf(() =>
      verify({
        currentDate: at(600),
        require: { service: 'rtc', privilege: 'publishAudioStream', channelName: 'room-1' },
      }),
    )
    expect(expired.code).toBe('ERR_TOKEN_PRIVILEGE')
    expect(expired.message).toContain('expired at')
    expect((expired as TokenPrivilegeMissing).token.version).toBe('007')
  })

  it('a privilege value of 0 lasts as long as the token by default, or never with zeroPrivilege: "expired"', () => {
    const req = { service: 'rtc', privilege: 'publishVideoStream', channelName: 'room-1' } as const
    expect(verify({ currentDate: at(3599), require: req }).version).toBe('007')
    expect(errorOf(() => verify({ require: req, zeroPrivilege: 'expired' })).code).toBe(
      'ERR_TOKEN_PRIVILEGE',
    )
  })

  it('every requirement of a list must pass', () => {
    const rtc = {
      service: 'rtc',
      privilege: 'joinChannel',
      channelName: 'room-1',
      uid: 42,
    } as const
    expect(
      verify({ require: [rtc, { service: 'rtm', privilege: 'login', userId: 'alice' }] }).version,
    ).toBe('007')
    expect(errorOf(() => verify({ require: [rtc, { service: 'rtm', userId: 'bob' }] })).code).toBe(
      'ERR_TOKEN_CLAIM',
    )
  })
})

describe('bad arguments are ERR_INVALID_ARGUMENT', () => {
  it.each<[string, () => unknown]>([
    ['no certificate', () => verifyToken(token, undefined as never)],
    ['an empty certificate list', () => verifyToken(token, [])],
    ['a certificate of the wrong shape', () => verifyToken(token, 'nope')],
    ['a token that is not a string', () => verifyToken(42 as never, cert)],
    ['an invalid Date', () => verify({ currentDate: new Date(NaN) })],
    ['a negative tolerance', () => verify({ clockTolerance: -1 })],
    ['an appId of the wrong shape', () => verify({ appId: 'x' })],
    ['an unknown service', () => verify({ require: { service: 'video' as never } })],
    [
      'a privilege of another service',
      () => verify({ require: { service: 'rtc', privilege: 'login' } }),
    ],
    ['an unknown zeroPrivilege policy', () => verify({ zeroPrivilege: 'never' as never })],
    ['a non-positive maxPayloadBytes', () => verify({ maxPayloadBytes: 0 })],
  ])('%s', (_name, fn) => {
    const e = errorOf(fn)
    expect(e.code).toBe('ERR_INVALID_ARGUMENT')
    expect(e.message).not.toContain('nope')
  })
})

describe('TokenError', () => {
  it('has a name per failure, a stable code and passes cause through', () => {
    const e = errorOf(() => verify({ currentDate: at(4000) }))
    expect(e.name).toBe('TokenExpired')
    expect(e).toBeInstanceOf(Error)
    const malformed = errorOf(() => verifyToken('007eJx=', cert))
    expect(malformed.name).toBe('TokenMalformed')
  })
})

describe('006 tokens', () => {
  it('refuse a service requirement instead of ignoring it', async () => {
    const { buildToken006 } = await import('../../../src/index.js')
    const token006 = buildToken006({
      appId,
      appCertificate: cert,
      channelName: 'room-1',
      uid: 42,
      privileges: { joinChannel: 0 },
    })
    const e = errorOf(() =>
      verifyToken(token006, cert, {
        channelName: 'room-1',
        uid: 42,
        require: { service: 'rtc', privilege: 'joinChannel' },
      }),
    )
    expect(e.code).toBe('ERR_INVALID_ARGUMENT')
    expect(e.message).toMatch(/^options\.require: applies to 007 tokens only/)
    expect(verifyToken(token006, cert, { channelName: 'room-1', uid: 42 }).version).toBe('006')
    const future = errorOf(() =>
      verifyToken(token006, cert, { channelName: 'room-1', uid: 42, maxFutureIssue: 30 }),
    )
    expect(future.code).toBe('ERR_INVALID_ARGUMENT')
    expect(future.message).toMatch(/^options\.maxFutureIssue: applies to 007 tokens only/)
  })
})

/** A 007 token packed by hand (docs/format.md): any app id, any signature, any services bytes. */
function raw007(p: {
  appId?: string
  signature?: Buffer
  issueTs?: number
  expire?: number
  services?: Buffer
}): string {
  const u16 = (n: number) => Buffer.from([n & 0xff, n >>> 8])
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    return b
  }
  const str = (b: Buffer) => Buffer.concat([u16(b.length), b])
  const payload = Buffer.concat([
    str(p.signature ?? Buffer.alloc(32, 7)),
    str(Buffer.from(p.appId ?? appId, 'utf8')),
    u32(p.issueTs ?? issueTs),
    u32(p.expire ?? 3600),
    u32(1),
    p.services ?? u16(0),
  ])
  return `007${deflateSync(payload).toString('base64')}`
}

describe('untrusted text in messages (issue 11, finding 4)', () => {
  const hostile = `\u001b[2K\rvalid: token ok\n\u202eevil${'x'.repeat(500)}`

  it('the app id of an unauthenticated token is quoted, escaped and cut in ERR_TOKEN_SIGNATURE', () => {
    const e = errorOf(() => verifyToken(raw007({ appId: hostile }), cert, { currentDate: at(0) }))
    expect(e.code).toBe('ERR_TOKEN_SIGNATURE')
    expect(e.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(e.message).toContain('"\\u001b[2K\\u000dvalid: token ok\\u000a\\u202eevil')
    expect(e.message.length).toBeLessThan(400)
  })

  it('token strings and arguments are quoted in ERR_TOKEN_CLAIM', () => {
    const e = errorOf(() =>
      verify({ require: { service: 'rtc', channelName: `room\r\nforged line` } }),
    )
    expect(e.code).toBe('ERR_TOKEN_CLAIM')
    expect(e.message).not.toMatch(/[\r\n]/)
    expect(e.message).toContain('"room\\u000d\\u000aforged line"')
  })

  it('a bad version prefix is quoted', () => {
    const e = errorOf(() => verifyToken('\u001b[2', cert))
    expect(e.code).toBe('ERR_TOKEN_VERSION')
    expect(e.message).toContain('"\\u001b[2"')
  })
})

describe('channelName and uid apply to 007 tokens too (issue 11, finding 2)', () => {
  it('need an rtc service for that channel and uid', () => {
    expect(verify({ channelName: 'room-1', uid: 42 }).version).toBe('007')
    expect(verify({ channelName: 'room-1' }).version).toBe('007')
    expect(verify({ channelName: 'lobby', uid: 7 }).version).toBe('007') // uid 0: any uid
    const channel = errorOf(() => verify({ channelName: 'other-room', uid: 42 }))
    expect(channel).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'channelName' })
    const uid = errorOf(() => verify({ channelName: 'room-1', uid: 43 }))
    expect(uid).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'uid' })
    // uid alone: any rtc service for that uid, here the any-uid one of channel lobby.
    const anyUid = verifyToken(token, cert, { currentDate: at(0), uid: 43, version: '007' })
    expect(anyUid.services[1]).toMatchObject({ channelName: 'lobby', uid: '' })
  })

  it('a token without an rtc service is refused for any channel', () => {
    const rtmOnly = buildToken({
      appId,
      appCertificate: cert,
      issueTs,
      salt: 7,
      expire: 3600,
      services: [{ type: 'rtm', userId: 'alice', privileges: { login: 3600 } }],
    })
    const e = errorOf(() =>
      verifyToken(rtmOnly, cert, { currentDate: at(0), channelName: 'room-1', uid: 42 }),
    )
    expect(e).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'service' })
  })

  it('are type-checked', () => {
    expect(errorOf(() => verify({ channelName: 42 as never })).code).toBe('ERR_INVALID_ARGUMENT')
    expect(errorOf(() => verify({ uid: -1 })).code).toBe('ERR_INVALID_ARGUMENT')
  })
})

describe('the signature is checked before the services are parsed (issue 11, finding 3)', () => {
  it('a forged token whose services would not parse is refused for its signature', () => {
    // 60,000 services announced, none present: parsing them first would say ERR_TOKEN_MALFORMED.
    const broken = raw007({ services: Buffer.from([0x60, 0xea, 0x01, 0x00]) })
    expect(errorOf(() => verifyToken(broken, cert, { currentDate: at(0) })).code).toBe(
      'ERR_TOKEN_SIGNATURE',
    )
    // decodeToken, which checks no signature, does parse them.
    expect(errorOf(() => decodeToken(broken)).code).toBe('ERR_TOKEN_MALFORMED')
  })

  it('a forged token that inflates to the cap is refused for its signature', () => {
    // ~65,000 fpa services (6 bytes each) in a few hundred characters of base64.
    const fpa = Buffer.from([4, 0, 0, 0])
    const services = Buffer.concat([
      Buffer.from([0xff, 0xff]),
      Buffer.concat(Array(32_000).fill(fpa)),
    ])
    const forged = raw007({ services })
    expect(forged.length).toBeLessThan(1000)
    expect(errorOf(() => verifyToken(forged, cert, { currentDate: at(0) })).code).toBe(
      'ERR_TOKEN_SIGNATURE',
    )
  })
})

describe('maxFutureIssue (issue 11, also)', () => {
  it('is off by default: a token issued in the future verifies', () => {
    expect(verify({ currentDate: at(-3000) }).version).toBe('007')
  })

  it('refuses a token issued more than maxFutureIssue + clockTolerance ahead', () => {
    expect(verify({ currentDate: at(-30), maxFutureIssue: 30 }).version).toBe('007')
    expect(verify({ currentDate: at(-40), maxFutureIssue: 30, clockTolerance: 10 }).version).toBe(
      '007',
    )
    const e = errorOf(() => verify({ currentDate: at(-31), maxFutureIssue: 30 }))
    expect(e).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'issuedAt' })
    expect(e.message).toContain(`token was issued at ${at(0).toISOString()}`)
    expect(errorOf(() => verify({ currentDate: at(-1), maxFutureIssue: 0 })).code).toBe(
      'ERR_TOKEN_CLAIM',
    )
  })

  it('is range-checked, and refused for 006 tokens (they carry no issue time)', () => {
    expect(errorOf(() => verify({ maxFutureIssue: -1 })).code).toBe('ERR_INVALID_ARGUMENT')
    expect(errorOf(() => verify({ maxFutureIssue: Number.NaN })).code).toBe('ERR_INVALID_ARGUMENT')
    expect(errorOf(() => verify({ maxFutureIssue: 86_401 })).code).toBe('ERR_INVALID_ARGUMENT')
  })
})

describe('large RTM2 permission lists, built by agora-token, read back exactly', () => {
  const agora = createRequire(import.meta.url)('agora-token/src/AccessToken2.js')
  /** Names of every kind a list may mix: hex, UUID-like, UTF-8, empty, 128+ bytes long. */
  function names(count: number, kind: 'ascii' | 'mixed'): string[] {
    return Array.from({ length: count }, (_, i) => {
      const hex = randomBytes(12).toString('hex')
      if (kind === 'ascii' || i % 7 !== 3) return `chan-${hex}`
      return [`канал-${hex}`, '', 'x'.repeat(130 + (i % 5)), `${hex}\u{1f600}`, '\u007f'][i % 5]
    })
  }
  for (const [kind, count] of [
    ['ascii', 2000],
    ['mixed', 2000],
    ['ascii', 1],
    ['mixed', 5],
  ] as const) {
    it(`${count} ${kind} names in each of three lists`, () => {
      const lists: Array<[number, number, string[]]> = [
        [0, 0, names(count, kind)],
        [0, 1, names(count, kind)],
        [4, 0, names(count, kind)],
      ]
      const perms = new agora.Rtm2Permissions()
      for (const [resource, permission, list] of lists) perms.add(resource, permission, list)
      const built = new agora.AccessToken2(appId, cert, issueTs, 3600)
      const service = new agora.ServiceRtm2('user-1', perms)
      service.add_privilege(1, 3600)
      built.add_service(service)
      const verified = verifyToken(built.build(), cert, {
        currentDate: at(1),
        maxPayloadBytes: 1 << 20,
        version: '007',
      })
      expect(verified.services).toEqual([
        {
          type: 'rtm2',
          userId: 'user-1',
          privileges: { login: 3600 },
          permissions: {
            messageChannels: { read: lists[0][2], write: lists[1][2] },
            users: { read: lists[2][2] },
          },
        },
      ])
    })
  }
})
