// Decoding legacy "006" tokens (src/format/006/parse.ts): the strict envelope and content, every
// failure a TokenError.
import { crc32 } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TokenError, decodeToken, verifyToken } from '../../../src/index.js'
import {
  APP_ID,
  CERT,
  CHANNEL,
  TS,
  UID,
  content,
  errorOf,
  options,
  token,
  u16,
  u32,
  valid,
} from './token006-packer.js'

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
      expiresAt: new Date(TS * 1000),
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
        { version: '006' },
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
