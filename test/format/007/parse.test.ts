// decodeToken: strict envelope and payload rules (docs/format.md, "What our verifier accepts"),
// exercised with payloads packed by hand here, independently of the library's writer.
import { createHmac } from 'node:crypto'
import { deflateSync, gzipSync, inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { setNativeBase64MinChars } from '../../../src/format/007/verify.js'
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  TokenError,
  decodeToken,
  verifyToken,
} from '../../../src/index.js'

const appId = '970ca35de60c44645bbae8a215061b33'
const cert = '5cfd2fd1755d40ecb72977518be15d3b'

const u16 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff])
const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n >>> 0)
  return b
}
const str = (s: string | Buffer) => {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8')
  return Buffer.concat([u16(b.length), b])
}
const hmac = (key: Buffer, msg: Buffer) => createHmac('sha256', key).update(msg).digest()

/** signing_info for the given service bytes (docs/format.md, "AccessToken2"). */
function signingInfo(
  count: number,
  services: Buffer,
  issueTs = 1_700_000_000,
  salt = 1,
  expire = 600,
): Buffer {
  return Buffer.concat([str(appId), u32(issueTs), u32(expire), u32(salt), u16(count), services])
}

/** A correctly signed token around `info`, deflated by node:zlib (or wrapped by `wrap`). */
function tokenOf(info: Buffer, wrap: (b: Buffer) => Buffer = (b) => deflateSync(b)): string {
  const issueTs = info.readUInt32LE(2 + 32)
  const salt = info.readUInt32LE(2 + 32 + 8)
  const key = hmac(u32(salt), hmac(u32(issueTs), Buffer.from(cert)))
  const content = Buffer.concat([str(hmac(key, info)), info])
  return '007' + wrap(content).toString('base64')
}

const rtc = (privileges: Array<[number, number]>, channel: string | Buffer = 'c', uid = '1') =>
  Buffer.concat([
    u16(1),
    u16(privileges.length),
    ...privileges.flatMap(([k, v]) => [u16(k), u32(v)]),
    str(channel),
    str(uid),
  ])

function codeOf(fn: () => unknown): string {
  try {
    fn()
    return 'ok'
  } catch (e) {
    if (e instanceof TokenError) return e.code
    throw e
  }
}

it('a hand-packed token decodes and verifies', () => {
  const token = tokenOf(signingInfo(1, rtc([[1, 600]])))
  expect(decodeToken(token)).toMatchObject({
    version: '007',
    appId,
    services: [{ type: 'rtc', channelName: 'c', uid: '1', privileges: { joinChannel: 600 } }],
  })
  expect(
    verifyToken(token, cert, { currentDate: new Date(1_700_000_000_000) }).certificateIndex,
  ).toBe(0)
})

it('a decoded token keeps its values when other tokens are decoded and verified after it', () => {
  const first = tokenOf(signingInfo(1, rtc([[1, 600]], 'first-channel', '111')))
  const second = tokenOf(signingInfo(1, rtc([[2, 900]], 'other', '222222'), 1_700_000_100, 7))
  const a = decodeToken(first)
  const snapshot = JSON.stringify(a, (_k, v) => (v instanceof Uint8Array ? [...v] : v))
  decodeToken(second)
  verifyToken(second, cert, { currentDate: new Date(1_700_000_000_000) })
  expect(JSON.stringify(a, (_k, v) => (v instanceof Uint8Array ? [...v] : v))).toBe(snapshot)
  expect(a).toMatchObject({ services: [{ channelName: 'first-channel', uid: '111' }] })
})

describe('payload size', () => {
  it(`is capped at maxPayloadBytes (default ${DEFAULT_MAX_PAYLOAD_BYTES}), inclusive`, () => {
    const base = signingInfo(1, rtc([[1, 600]], ''))
    const contentLength = 2 + 32 + base.length
    const fill = (n: number) => tokenOf(signingInfo(1, rtc([[1, 600]], 'x'.repeat(n))))
    const exact = fill(
      DEFAULT_MAX_PAYLOAD_BYTES - contentLength > 65535
        ? 65535
        : DEFAULT_MAX_PAYLOAD_BYTES - contentLength,
    )
    expect(codeOf(() => decodeToken(exact))).toBe('ok')
    const size = 2000
    expect(codeOf(() => decodeToken(fill(size - contentLength), { maxPayloadBytes: size }))).toBe(
      'ok',
    )
    expect(
      codeOf(() => decodeToken(fill(size - contentLength + 1), { maxPayloadBytes: size })),
    ).toBe('ERR_TOKEN_TOO_LARGE')
  })

  it('a token text too long to inflate within the limit is refused before decoding', () => {
    expect(codeOf(() => decodeToken('007' + 'A'.repeat(400_000)))).toBe('ERR_TOKEN_TOO_LARGE')
  })
})

describe('envelope', () => {
  /** A valid token whose base64 text has the property the case needs (padding, '+' or '/'). */
  function sample(has: (token: string) => boolean): string {
    for (let i = 0; ; i++) {
      const token = tokenOf(signingInfo(1, rtc([[1, 600]], `channel-${i}`)))
      if (has(token)) return token
    }
  }
  const padded = sample((t) => t.endsWith('='))
  const slashy = sample((t) => /[+/]/.test(t))
  it.each<[string, string]>([
    [
      'a gzip member instead of a zlib stream',
      tokenOf(signingInfo(1, rtc([[1, 600]])), (b) => gzipSync(b)),
    ],
    [
      'bytes after the zlib stream',
      tokenOf(signingInfo(1, rtc([[1, 600]])), (b) =>
        Buffer.concat([deflateSync(b), Buffer.from([0])]),
      ),
    ],
    ['base64 without padding', padded.replace(/=+$/, '')],
    ['URL-safe base64', slashy.replace(/\+/g, '-').replace(/\//g, '_')],
    ['whitespace', padded.slice(0, 20) + '\n' + padded.slice(20)],
  ])('refuses %s as malformed', (_name, token) => {
    expect(codeOf(() => decodeToken(token))).toBe('ERR_TOKEN_MALFORMED')
  })

  it('refuses non-zero padding bits after a stored block header (zlib ignores them: a second text for one token)', () => {
    const info = signingInfo(1, rtc([[1, 600]]))
    const stored = tokenOf(info, (b) => deflateSync(b, { level: 0 }))
    const bytes = Buffer.from(stored.slice(3), 'base64')
    expect(bytes[2] & 0b111).toBe(0b001) // BFINAL, stored; bits 3..7 pad to the byte boundary
    expect(
      codeOf(() => verifyToken(stored, cert, { currentDate: new Date(1_700_000_000_000) })),
    ).toBe('ok')
    bytes[2] |= 0b0010_1000
    expect(inflateSync(bytes)).toEqual(inflateSync(Buffer.from(stored.slice(3), 'base64'))) // zlib does not mind
    expect(codeOf(() => decodeToken('007' + bytes.toString('base64')))).toBe('ERR_TOKEN_MALFORMED')
  })

  it('the samples themselves are valid', () => {
    expect(codeOf(() => decodeToken(padded))).toBe('ok')
    expect(codeOf(() => decodeToken(slashy))).toBe('ok')
  })
})

describe('payload', () => {
  it('refuses a privilege id given twice', () => {
    expect(
      codeOf(() =>
        decodeToken(
          tokenOf(
            signingInfo(
              1,
              rtc([
                [1, 600],
                [1, 700],
              ]),
            ),
          ),
        ),
      ),
    ).toBe('ERR_TOKEN_MALFORMED')
  })

  it('accepts privileges out of numeric order (Java writes ids >= 32768 first)', () => {
    const d = decodeToken(
      tokenOf(
        signingInfo(
          1,
          rtc([
            [40000, 5],
            [1, 600],
          ]),
        ),
      ),
    )
    expect(d.version === '007' && d.services[0].privileges).toEqual({
      '40000': 5,
      joinChannel: 600,
    })
  })

  it('refuses a string that is not valid UTF-8', () => {
    expect(
      codeOf(() =>
        decodeToken(tokenOf(signingInfo(1, rtc([[1, 600]], Buffer.from([0xc3, 0x28]))))),
      ),
    ).toBe('ERR_TOKEN_MALFORMED')
  })

  it('refuses a service count larger than the services present', () => {
    expect(codeOf(() => decodeToken(tokenOf(signingInfo(2, rtc([[1, 600]])))))).toBe(
      'ERR_TOKEN_MALFORMED',
    )
  })

  it('refuses bytes after the last service', () => {
    expect(
      codeOf(() =>
        decodeToken(tokenOf(signingInfo(1, Buffer.concat([rtc([[1, 600]]), Buffer.from([0])])))),
      ),
    ).toBe('ERR_TOKEN_MALFORMED')
  })

  it('refuses a signature field of other than 32 bytes', () => {
    const info = signingInfo(1, rtc([[1, 600]]))
    const token =
      '007' + deflateSync(Buffer.concat([str(Buffer.alloc(31)), info])).toString('base64')
    expect(codeOf(() => decodeToken(token))).toBe('ERR_TOKEN_MALFORMED')
  })

  it('reads up to an unknown service type, then treats the rest as opaque but signed', () => {
    const opaque = Buffer.concat([u16(77), Buffer.from([1, 2, 3])])
    const token = tokenOf(signingInfo(3, Buffer.concat([rtc([[1, 600]]), opaque, rtc([[1, 600]])])))
    const verified = verifyToken(token, cert, { currentDate: new Date(1_700_000_000_000) })
    expect(verified.version === '007' && verified.unknownServiceType).toBe(77)
    expect(verified.version === '007' && verified.services.map((s) => s.type)).toEqual(['rtc'])
    // The opaque bytes are signed: changing them breaks the signature.
    const info = signingInfo(3, Buffer.concat([rtc([[1, 600]]), opaque, rtc([[1, 600]])]))
    const tampered = Buffer.from(info)
    tampered[tampered.length - 1] ^= 1
    const content = Buffer.concat([str(Buffer.from(decodeTokenSignature(token))), tampered])
    expect(
      codeOf(() =>
        verifyToken('007' + deflateSync(content).toString('base64'), cert, {
          currentDate: new Date(1_700_000_000_000),
        }),
      ),
    ).toBe('ERR_TOKEN_SIGNATURE')
  })
})

describe("long tokens: verifyToken's runtime base64 decoder and the pure one decide alike", () => {
  /** An rtm2 service with these resource names under messageChannels / read. */
  const rtm2 = (names: Array<string | Buffer>) =>
    Buffer.concat([
      u16(8),
      u16(1),
      u16(1),
      u32(600),
      str('user-1'),
      u16(1),
      u16(0),
      u16(1),
      u16(0),
      u16(names.length),
      ...names.map((n) => str(n)),
    ])
  const names = Array.from(
    { length: 120 },
    (_, i) => `chan-${hmac(Buffer.from('n'), u32(i)).toString('hex').slice(0, 24)}`,
  )
  const long = tokenOf(signingInfo(1, rtm2(names)))

  /** The outcome of decoding and verifying `token`: the result or the error's code and text. */
  function outcome(token: string): string {
    const run = (fn: () => unknown) => {
      try {
        return JSON.stringify(fn(), (_k, v) => (v instanceof Uint8Array ? [...v] : v))
      } catch (e) {
        if (e instanceof TokenError) return `${e.code}: ${e.message}`
        throw e
      }
    }
    return [
      run(() => decodeToken(token)),
      run(() => verifyToken(token, cert, { currentDate: new Date(1_700_000_000_000) })),
    ].join('\n')
  }
  function bothWays(token: string): { native: string; pure: string } {
    const previous = setNativeBase64MinChars(0)
    try {
      const native = outcome(token)
      setNativeBase64MinChars(Number.POSITIVE_INFINITY)
      return { native, pure: outcome(token) }
    } finally {
      setNativeBase64MinChars(previous)
    }
  }

  it('on a valid long token and on envelope defects', () => {
    expect(long.length).toBeGreaterThan(1024)
    const ok = bothWays(long)
    expect(ok.native).toBe(ok.pure)
    expect(ok.native).toContain(JSON.stringify(names))
    const body = long.slice(3)
    const padded = tokenOf(signingInfo(1, rtm2([...names, 'x'])))
    const unpaddedLong = padded.endsWith('=')
      ? padded
      : tokenOf(signingInfo(1, rtm2([...names, 'xy'])))
    const defects = [
      `007${body}=`,
      `007${body.slice(0, -1)}`,
      `007${body.slice(0, 500)}\n${body.slice(500)}`,
      `007${body.replace(/\+/g, '-').replace(/\//g, '_')}`,
      `007${body.slice(0, 500)}é${body.slice(501)}`,
      unpaddedLong.replace(/=+$/, ''),
    ]
    for (const token of defects) {
      const { native, pure } = bothWays(token)
      expect(native).toBe(pure)
      expect(pure).toMatch(/^ERR_TOKEN_MALFORMED: token body is not canonical base64/)
    }
  })

  it('on random corruptions of a long token', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \né'
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: alphabet.length - 1 })), {
          minLength: 1,
          maxLength: 3,
        }),
        (edits) => {
          let token = long
          for (const [at, c] of edits) {
            const i = 3 + (at % (token.length - 3))
            token = token.slice(0, i) + alphabet[c] + token.slice(i + 1)
          }
          const { native, pure } = bothWays(token)
          expect(native).toBe(pure)
        },
      ),
      { numRuns: 300 },
    )
  })
})

function decodeTokenSignature(token: string): Uint8Array {
  const d = decodeToken(token)
  return d.signature
}
