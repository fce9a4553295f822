// Decoding and verifying legacy "006" tokens: the strict envelope, every failure a TokenError,
// and verification's needs and order (structure, channel and uid, signature, app id, time).
import { createHmac } from 'node:crypto'
import { crc32 } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TokenError, decodeToken, verifyToken } from '../src/index.js'
import { otherCertificate, vectorFiles } from './helpers/vectors.js'

const APP_ID = '970ca35de60c44645bbae8a215061b33'
const CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const CHANNEL = 'room-1'
const UID = '42'
const TS = 1_800_000_000

// An independent packer (FORMAT.md, "Legacy AccessToken") to make well-formed and broken tokens.
function u16(n: number) {
  const b = Buffer.alloc(2)
  b.writeUInt16LE(n)
  return b
}
function u32(n: number) {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}
const str = (b: Buffer) => Buffer.concat([u16(b.length), b])

interface Parts {
  appId?: string
  certificate?: string
  channel?: string
  uid?: string
  salt?: number
  ts?: number
  privileges?: Array<[number, number]>
  /** Replaces m (then the signature is still over the given m). */
  m?: Buffer
  signature?: Buffer
  crcChannel?: number
  crcUid?: number
  trailing?: Buffer
}

function content(p: Parts = {}): Buffer {
  const appId = p.appId ?? APP_ID
  const channel = p.channel ?? CHANNEL
  const uid = p.uid ?? UID
  const privileges = p.privileges ?? [[1, TS - 3600]]
  const m =
    p.m ??
    Buffer.concat([
      u32(p.salt ?? 1234),
      u32(p.ts ?? TS),
      u16(privileges.length),
      ...privileges.flatMap(([id, t]) => [u16(id), u32(t)]),
    ])
  const signature =
    p.signature ??
    createHmac('sha256', p.certificate ?? CERT)
      .update(Buffer.concat([Buffer.from(appId + channel + uid, 'utf8'), m]))
      .digest()
  return Buffer.concat([
    str(signature),
    u32(p.crcChannel ?? crc32(channel)),
    u32(p.crcUid ?? crc32(uid)),
    str(m),
    p.trailing ?? Buffer.alloc(0),
  ])
}

const token = (p: Parts = {}) => '006' + (p.appId ?? APP_ID) + content(p).toString('base64')
const valid = token()
const at = new Date((TS - 7200) * 1000)
const options = { channelName: CHANNEL, uid: UID, currentDate: at }

function errorOf(f: () => unknown): TokenError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError)
    return e as TokenError
  }
  throw new Error('expected a TokenError, nothing was thrown')
}

describe('decodeToken of a 006 token', () => {
  it('reads every field, privileges by name and unknown ids by decimal id', () => {
    const t = token({
      salt: 7,
      privileges: [
        [1, 10],
        [2, 20],
        [3, 30],
        [4, 40],
        [101, 50],
        [1000, 0],
      ],
    })
    expect(decodeToken(t)).toEqual({
      version: '006',
      appId: APP_ID,
      salt: 7,
      ts: TS,
      privileges: {
        joinChannel: 10,
        publishAudioStream: 20,
        publishVideoStream: 30,
        publishDataStream: 40,
        '101': 50,
        rtmLogin: 0,
      },
      crcChannelName: crc32(CHANNEL),
      crcUid: crc32(UID),
      signature: new Uint8Array(
        content({
          salt: 7,
          privileges: [
            [1, 10],
            [2, 20],
            [3, 30],
            [4, 40],
            [101, 50],
            [1000, 0],
          ],
        }).subarray(2, 34),
      ),
    })
  })

  it('accepts privileges in any order (the PHP and Ruby references pack insertion order)', () => {
    expect(
      decodeToken(
        token({
          privileges: [
            [2, 5],
            [1, 6],
          ],
        }),
      ).privileges,
    ).toEqual({ joinChannel: 6, publishAudioStream: 5 })
  })

  it('keeps the app id as written (its case is signed)', () => {
    const upper = APP_ID.toUpperCase()
    expect(decodeToken(token({ appId: upper })).appId).toBe(upper)
  })

  const malformed: Array<[string, string]> = [
    ['only the version', '006'],
    ['a short app id', '006' + APP_ID.slice(1)],
    [
      'an app id with a non-hex character',
      '006' + 'g' + APP_ID.slice(1) + content().toString('base64'),
    ],
    ['a 33-character app id', '006' + APP_ID + 'a' + content().toString('base64')],
    ['a 31-character app id', '006' + APP_ID.slice(1) + content().toString('base64')],
    ['no content', '006' + APP_ID],
    ['a character after the padding', valid + 'A'],
    ['a trailing newline', valid + '\n'],
    ['a space inside the base64', valid.slice(0, 50) + ' ' + valid.slice(51)],
    ['the URL-safe alphabet', token({ salt: 0xfbff }).replace(/\+/g, '-').replace(/\//g, '_')],
    ['a 31-byte signature', token({ signature: Buffer.alloc(31) })],
    ['a 33-byte signature', token({ signature: Buffer.alloc(33) })],
    ['bytes after the message', token({ trailing: Buffer.from([0]) })],
    [
      'bytes after the privileges inside the message',
      token({ m: Buffer.concat([u32(1), u32(TS), u16(0), Buffer.from([9])]) }),
    ],
    [
      'a privilege count beyond the message',
      token({ m: Buffer.concat([u32(1), u32(TS), u16(2), u16(1), u32(5)]) }),
    ],
    ['a message cut inside ts', token({ m: u32(1) })],
    [
      'a repeated privilege id',
      token({
        privileges: [
          [1, 5],
          [1, 6],
        ],
      }),
    ],
  ]
  it.each(malformed)('refuses %s (ERR_TOKEN_MALFORMED)', (_what, t) => {
    expect(errorOf(() => decodeToken(t)).code).toBe('ERR_TOKEN_MALFORMED')
  })

  describe('base64 problems are reported before structure', () => {
    // Valid content is 54 + 6n bytes, a multiple of 3, so a valid 006 token has no padding; a
    // padded one (here with a byte after the message) shows the base64 checks on their own.
    const padded = token({ trailing: Buffer.from([0]) })
    const body = padded.slice(35)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const last = body.length - 3
    const bumped =
      padded.slice(0, 35 + last) + alphabet[alphabet.indexOf(body[last]) + 1] + body.slice(last + 1)

    it.each([
      ['missing padding', padded.replace(/=+$/, '')],
      ['non-zero bits in the last character', bumped],
    ])('%s', (_what, t) => {
      expect(body.endsWith('==')).toBe(true)
      expect(Buffer.from(bumped.slice(35), 'base64')).toEqual(Buffer.from(body, 'base64'))
      const err = errorOf(() => decodeToken(t))
      expect(err.code).toBe('ERR_TOKEN_MALFORMED')
      expect(err.message).toMatch(/not canonical base64/)
    })

    it('and the padded token itself is refused for its extra byte', () => {
      expect(errorOf(() => decodeToken(padded)).message).toMatch(/1 bytes after its message/)
    })
  })

  it('refuses every truncation of a valid token', () => {
    for (let n = 0; n < valid.length; n++) {
      const code = errorOf(() => decodeToken(valid.slice(0, n))).code
      expect(n < 3 ? ['ERR_TOKEN_VERSION'] : ['ERR_TOKEN_MALFORMED']).toContain(code)
    }
  })

  it('refuses a token longer than maxPayloadBytes allows (ERR_TOKEN_TOO_LARGE) and longer than any 006 token can be', () => {
    const big = token({
      privileges: Array.from({ length: 200 }, (_, i) => [i, 1] as [number, number]),
    })
    expect(decodeToken(big, { maxPayloadBytes: 2000 }).version).toBe('006')
    expect(errorOf(() => decodeToken(big, { maxPayloadBytes: 1000 })).code).toBe(
      'ERR_TOKEN_TOO_LARGE',
    )
    expect(
      errorOf(() => decodeToken('006' + APP_ID + 'A'.repeat(100_000), { maxPayloadBytes: 1e6 }))
        .code,
    ).toBe('ERR_TOKEN_MALFORMED')
  })

  it('throws only TokenErrors for any string after "006"', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (rest) => {
        try {
          decodeToken('006' + rest)
        } catch (e) {
          expect(e).toBeInstanceOf(TokenError)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('throws only TokenErrors for mutated tokens, decoding or verifying', () => {
    const bytes = content({
      privileges: [
        [1, 5],
        [2, 6],
      ],
    })
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: -4, max: 4 }),
        (edits, resize) => {
          const b = Buffer.from(bytes)
          for (const [i, v] of edits) b[i] = v
          const mutated =
            resize >= 0
              ? Buffer.concat([b, Buffer.alloc(resize, 7)])
              : b.subarray(0, b.length + resize)
          const t = '006' + APP_ID + mutated.toString('base64')
          for (const f of [() => decodeToken(t), () => verifyToken(t, CERT, options)]) {
            try {
              f()
            } catch (e) {
              expect(e).toBeInstanceOf(TokenError)
            }
          }
        },
      ),
      { numRuns: 400 },
    )
  })
})

describe('006 any-uid tokens (issue 11, finding 1)', () => {
  it('an unsigned CRC-32 cannot turn a token for (room, 142) into one for (room142, any uid)', () => {
    // The attack: the signature covers appId + "room" + "142" + m, which is also appId +
    // "room142" + "" + m; rewriting the two unsigned CRC-32s claims "channel room142, uid 0".
    const forged = token({ channel: 'room', uid: '142', crcChannel: crc32('room142'), crcUid: 0 })
    const e = errorOf(() =>
      verifyToken(forged, CERT, { ...options, channelName: 'room142', uid: 7 }),
    )
    expect(e).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'uid' })
    expect(e.message).toContain('allowAnyUid006')
    // Without the rewrite the CRCs still say (room, 142): the same refusal, for the same reason.
    const plain = token({ channel: 'room', uid: '142' })
    expect(
      errorOf(() => verifyToken(plain, CERT, { ...options, channelName: 'room142', uid: 7 })).code,
    ).toBe('ERR_TOKEN_CLAIM')
  })

  it('a token signed for uid 0 admits another uid only with allowAnyUid006: true', () => {
    const anyUid = token({ uid: '' })
    const e = errorOf(() => verifyToken(anyUid, CERT, { ...options, uid: 9 }))
    expect(e).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'uid' })
    expect(e.message).toMatch(/signed for any uid \(uid 0\) in channel "room-1", not for uid "9"/)
    expect(verifyToken(anyUid, CERT, { ...options, uid: 9, allowAnyUid006: true })).toMatchObject({
      version: '006',
      certificateIndex: 0,
    })
    // Asking for uid 0 itself is a direct match and needs no opt-in.
    expect(verifyToken(anyUid, CERT, { ...options, uid: 0 }).version).toBe('006')
  })

  it('opting in does not accept a token signed for another uid, nor a zeroed uid CRC', () => {
    const forUid42 = token({ uid: '42', crcUid: 0 })
    const e = errorOf(() =>
      verifyToken(forUid42, CERT, { ...options, uid: 7, allowAnyUid006: true }),
    )
    expect(['ERR_TOKEN_CLAIM', 'ERR_TOKEN_SIGNATURE']).toContain(e.code)
    // The opt-in with a token signed for any uid but a CRC-32 field that says another uid.
    const altered = token({ uid: '', crcUid: crc32('5') })
    expect(
      errorOf(() => verifyToken(altered, CERT, { ...options, uid: 5, allowAnyUid006: true })).code,
    ).toBe('ERR_TOKEN_MALFORMED')
  })
})

describe('verifyToken of a 006 token', () => {
  it('verifies with the certificate, channel and uid it was made for', () => {
    expect(verifyToken(valid, CERT, options)).toMatchObject({
      version: '006',
      appId: APP_ID,
      certificateIndex: 0,
    })
  })

  it('takes the uid as a number too (0 is uid "", any uid)', () => {
    expect(verifyToken(valid, CERT, { ...options, uid: 42 }).version).toBe('006')
    const anyUid = token({ uid: '' })
    expect(verifyToken(anyUid, CERT, { ...options, uid: 0 }).version).toBe('006')
    expect(verifyToken(anyUid, CERT, { ...options, uid: '' }).version).toBe('006')
    expect(
      verifyToken(anyUid, CERT, { ...options, uid: 'alice', allowAnyUid006: true }).version,
    ).toBe('006')
    // A token for a literal account "0" is not an any-uid token.
    expect(
      errorOf(() => verifyToken(token({ uid: '0' }), CERT, { ...options, uid: 7 })),
    ).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'uid',
    })
  })

  it('needs channelName and uid, and says so (ERR_TOKEN_CLAIM)', () => {
    const noChannel = errorOf(() => verifyToken(valid, CERT, { uid: UID, currentDate: at }))
    expect(noChannel).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'channelName',
      token: undefined,
    })
    expect(noChannel.message).toMatch(/needs options\.channelName and options\.uid/)
    expect(noChannel.message).toMatch(/CRC-32/)
    expect(
      errorOf(() => verifyToken(valid, CERT, { channelName: CHANNEL, currentDate: at })),
    ).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'uid',
    })
  })

  it('refuses channelName and uid of the wrong type (ERR_INVALID_ARGUMENT)', () => {
    for (const bad of [
      { channelName: 5 },
      { uid: -1 },
      { uid: 1.5 },
      { uid: null },
      { channelName: '\uD800' },
    ]) {
      const err = errorOf(() => verifyToken(valid, CERT, { ...options, ...(bad as object) }))
      expect(err.code).toBe('ERR_INVALID_ARGUMENT')
      expect(err.message).toMatch(/^options\.(channelName|uid)/)
    }
  })

  it('says which claim differs when the token was made for another channel or uid', () => {
    const hex8 = (n: number) => '0x' + n.toString(16).padStart(8, '0')
    const err = errorOf(() => verifyToken(valid, CERT, { ...options, channelName: 'room-2' }))
    expect(err).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim: 'channelName', token: undefined })
    expect(err.message).toBe(
      `token was made for another channel than "room-2" (its channel CRC-32 is ${hex8(crc32(CHANNEL))}, not ${hex8(crc32('room-2'))})`,
    )
    expect(errorOf(() => verifyToken(valid, CERT, { ...options, uid: 43 }))).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'uid',
    })
  })

  it('refuses a wrong certificate (ERR_TOKEN_SIGNATURE), without showing it', () => {
    const other = otherCertificate(CERT)
    const err = errorOf(() => verifyToken(valid, other, options))
    expect(err.code).toBe('ERR_TOKEN_SIGNATURE')
    expect(err.message).not.toContain(other)
    expect(err.message).not.toContain(CERT)
  })

  it('reports which certificate of a rotation list matched', () => {
    expect(verifyToken(valid, [otherCertificate(CERT), CERT], options).certificateIndex).toBe(1)
    expect(errorOf(() => verifyToken(valid, [otherCertificate(CERT)], options)).code).toBe(
      'ERR_TOKEN_SIGNATURE',
    )
  })

  it('refuses an altered CRC-32 field though the signature matches (ERR_TOKEN_MALFORMED)', () => {
    // The CRCs are not signed: a changed one makes a second string for the same signed token.
    expect(errorOf(() => verifyToken(token({ crcChannel: 1 }), CERT, options)).code).toBe(
      'ERR_TOKEN_MALFORMED',
    )
    expect(errorOf(() => verifyToken(token({ crcUid: 1 }), CERT, options)).code).toBe(
      'ERR_TOKEN_MALFORMED',
    )
  })

  it('refuses a signature made over other bytes (ERR_TOKEN_SIGNATURE)', () => {
    expect(
      errorOf(() => verifyToken(token({ signature: Buffer.alloc(32) }), CERT, options)).code,
    ).toBe('ERR_TOKEN_SIGNATURE')
  })

  it('checks the app id option like for 007 tokens, case-insensitively', () => {
    expect(verifyToken(valid, CERT, { ...options, appId: APP_ID.toUpperCase() }).version).toBe(
      '006',
    )
    expect(
      errorOf(() => verifyToken(valid, CERT, { ...options, appId: 'a'.repeat(32) })),
    ).toMatchObject({
      code: 'ERR_TOKEN_CLAIM',
      claim: 'appId',
    })
  })

  it('checks structure first, then channel and uid, then the signature, then the app id, then time', () => {
    const expiredElsewhere = token({ certificate: otherCertificate(CERT), ts: 1 })
    expect(errorOf(() => verifyToken('006' + APP_ID + '!', CERT, {})).code).toBe(
      'ERR_TOKEN_MALFORMED',
    )
    expect(errorOf(() => verifyToken(expiredElsewhere, CERT, { uid: UID })).code).toBe(
      'ERR_TOKEN_CLAIM',
    )
    expect(errorOf(() => verifyToken(expiredElsewhere, CERT, options)).code).toBe(
      'ERR_TOKEN_SIGNATURE',
    )
    const expired = token({ ts: 1 })
    expect(
      errorOf(() => verifyToken(expired, CERT, { ...options, appId: 'a'.repeat(32) })).code,
    ).toBe('ERR_TOKEN_CLAIM')
    expect(errorOf(() => verifyToken(expired, CERT, options)).code).toBe('ERR_TOKEN_EXPIRED')
  })

  describe('time: the message ts and every privilege are absolute; 0 is no limit', () => {
    const t = token({
      privileges: [
        [1, 0],
        [2, TS - 100],
      ],
    })
    const second = (s: number) => new Date(s * 1000)

    it('is valid until a privilege time, then ERR_TOKEN_EXPIRED naming it', () => {
      expect(
        verifyToken(t, CERT, { ...options, currentDate: new Date((TS - 100) * 1000 - 1) }).version,
      ).toBe('006')
      const err = errorOf(() => verifyToken(t, CERT, { ...options, currentDate: second(TS - 100) }))
      expect(err.code).toBe('ERR_TOKEN_EXPIRED')
      expect(err.message).toContain('publishAudioStream')
      expect(err.message).toContain(second(TS - 100).toISOString())
      expect((err as any).token).toMatchObject({ version: '006', certificateIndex: 0 })
    })

    it('ends at the message ts even when every privilege is unlimited', () => {
      const unlimited = token({ privileges: [[1, 0]] })
      expect(
        verifyToken(unlimited, CERT, { ...options, currentDate: new Date(TS * 1000 - 1) }).version,
      ).toBe('006')
      const err = errorOf(() =>
        verifyToken(unlimited, CERT, { ...options, currentDate: second(TS) }),
      )
      expect(err.code).toBe('ERR_TOKEN_EXPIRED')
      expect(err.message).toContain('message ts')
    })

    it('allows clockTolerance seconds of leeway', () => {
      expect(
        verifyToken(t, CERT, { ...options, currentDate: second(TS - 71), clockTolerance: 30 })
          .version,
      ).toBe('006')
      expect(
        errorOf(() =>
          verifyToken(t, CERT, { ...options, currentDate: second(TS - 70), clockTolerance: 30 }),
        ).code,
      ).toBe('ERR_TOKEN_EXPIRED')
    })
  })

  it('verifies an RTM token with the account as channelName and uid 0', () => {
    const [python] = vectorFiles('accesstoken006-builders').filter((f) =>
      f.file.startsWith('python3'),
    )
    const v = python.vectors.find(
      (x: any) => x.builder === 'RtmTokenBuilder.buildToken' && x.args[4] === 4294967295,
    )
    const [, cert, account] = v.args
    expect(
      verifyToken(v.token, cert, { channelName: account, uid: 0, currentDate: new Date(v.clockMs) })
        .version,
    ).toBe('006')
  })
})
