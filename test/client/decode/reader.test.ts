// The token keeper's reader (src/client/decode/) against the library's decodeToken: the same
// result for every vector of every generator, for a random corpus of valid and damaged tokens,
// and for one hand-made token per refusal rule. `npm run fuzz:client -- <count>` runs the
// random corpus at any size.
import { deflateSync, inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readToken } from '../../../src/client/decode/index.js'
import { MAX_PAYLOAD_BYTES } from '../../../src/client/decode/token007.js'
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  TokenError,
  buildToken,
  decodeToken,
} from '../../../src/index.js'
import { vectorFiles } from '../../helpers/vectors.js'
import { type Outcome, bothOutcomes, corpusToken } from './corpus.js'

const RUNS = Number(process.env.CLIENT_DECODE_RUNS ?? 2500)
const SEED = process.env.CLIENT_DECODE_SEED ? Number(process.env.CLIENT_DECODE_SEED) : undefined

/** Asserts that both decoders agree on `token` and returns what they made of it. */
function same(token: string): Outcome {
  const { library, reader } = bothOutcomes(token)
  expect(reader).toStrictEqual(library)
  return library
}

/** Asserts that both decoders refuse `token` with `code`. */
function refused(token: string, code: string): void {
  expect(same(token)).toEqual({ code })
}

const CERT = '0123456789abcdef0123456789abcdef'
const APP_ID = '970ca35de60c44645bbae8a215061b33'
const valid = buildToken({
  appId: APP_ID,
  appCertificate: CERT,
  issueTs: 1_700_000_000,
  expire: 3600,
  salt: 1,
  services: [{ type: 'rtc', channelName: 'room', uid: 42, privileges: { joinChannel: 3600 } }],
})
const compressedOf = (token: string) => new Uint8Array(Buffer.from(token.slice(3), 'base64'))
const payloadOf = (token: string) => new Uint8Array(inflateSync(compressedOf(token)))
const token007Of = (stream: Uint8Array) => `007${Buffer.from(stream).toString('base64')}`
const zlib = (payload: Uint8Array, options = {}) => new Uint8Array(deflateSync(payload, options))

/** A 007 payload: signature, app id, times, then `services` (raw bytes). */
function payload007(services: number[], count: number): Uint8Array {
  const u16 = (v: number) => [v & 255, v >>> 8]
  const appId = [...Buffer.from(APP_ID)]
  return Uint8Array.from([
    ...u16(32),
    ...new Array(32).fill(7),
    ...u16(appId.length),
    ...appId,
    ...[0, 241, 83, 101], // issueTs
    ...[16, 14, 0, 0], // expire 3600
    ...[1, 0, 0, 0], // salt
    ...u16(count),
    ...services,
  ])
}
const u16 = (v: number) => [v & 255, v >>> 8]
const text = (s: string) => [...u16(Buffer.byteLength(s)), ...Buffer.from(s)]
/** An rtc service with the given privilege ids (value 0), channel "c" and uid "1". */
const rtc = (...privileges: number[]) => [
  ...u16(1),
  ...u16(privileges.length),
  ...privileges.flatMap((id) => [...u16(id), 0, 0, 0, 0]),
  ...text('c'),
  ...text('1'),
]

describe('the keeper reader and decodeToken', () => {
  it('decode every vector of every generator identically', () => {
    let decoded = 0
    let refusedCount = 0
    for (const kind of [
      'accesstoken2',
      'accesstoken2-builders',
      'accesstoken2-invalid',
      'accesstoken006',
      'accesstoken006-builders',
    ]) {
      for (const file of vectorFiles(kind)) {
        for (const v of [...file.vectors, ...(file.divergent ?? [])]) {
          for (const token of [v.token, v.canonicalToken]) {
            if (typeof token !== 'string') continue
            if ('ok' in same(token)) decoded++
            else refusedCount++
          }
        }
      }
    }
    // Every file's tokens were read, and the invalid vectors include refused ones.
    expect(decoded).toBeGreaterThan(2000)
    expect(refusedCount).toBeGreaterThan(20)
  })

  it(`agree on ${RUNS} random valid and damaged tokens`, () => {
    const codes: Record<string, number> = {}
    fc.assert(
      fc.property(corpusToken, (token) => {
        const result = same(token)
        const key = 'ok' in result ? 'accepted' : result.code
        codes[key] = (codes[key] ?? 0) + 1
      }),
      { numRuns: RUNS, seed: SEED },
    )
    // The corpus reaches every verdict: accepted, malformed, too large, wrong version.
    expect(Object.keys(codes).sort()).toEqual([
      'ERR_TOKEN_MALFORMED',
      'ERR_TOKEN_TOO_LARGE',
      'ERR_TOKEN_VERSION',
      'accepted',
    ])
    if (RUNS > 10_000) console.log(`client reader differential, ${RUNS} tokens:`, codes)
  })

  it('returns what the vectors say, not only what decodeToken says', () => {
    const decoded = readToken(valid)
    expect(decoded).toMatchObject({ version: '007', appId: APP_ID, issueTs: 1_700_000_000 })
    expect(decoded.version === '007' && decoded.services).toEqual([
      { type: 'rtc', channelName: 'room', uid: '42', privileges: { joinChannel: 3600 } },
    ])
  })
})

describe('the keeper reader refuses as decodeToken does', () => {
  it('a token of another version, or none', () => {
    refused('', 'ERR_TOKEN_VERSION')
    refused('005abc', 'ERR_TOKEN_VERSION')
    refused('07', 'ERR_TOKEN_VERSION')
  })

  it('base64 that is not canonical', () => {
    // Tokens whose base64 ends in one and in two padding characters.
    const padded = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      buildToken({
        appId: APP_ID,
        appCertificate: CERT,
        issueTs: 1_700_000_000,
        expire: 600,
        salt: 1,
        services: [{ type: 'rtm', userId: 'qwertyuiop'.slice(0, n), privileges: {} }],
      }),
    )
    for (const pad of ['=', '==']) {
      const token = padded.find((t) => t.endsWith(pad) && !t.endsWith(`${pad}=`)) as string
      expect(token).toBeDefined()
      refused(token.slice(0, -1), 'ERR_TOKEN_MALFORMED') // length
      refused(token.slice(0, -pad.length), 'ERR_TOKEN_MALFORMED') // padding left out
      refused(`${token}==`, 'ERR_TOKEN_MALFORMED') // padding past the end
      // Non-zero bits in the last character: another text of the same bytes.
      const at = token.length - pad.length - 1
      const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
      const other = `${token.slice(0, at)}${ALPHABET[ALPHABET.indexOf(token[at]) | 1]}${pad}`
      refused(other, 'ERR_TOKEN_MALFORMED')
    }
    const body = valid.slice(3)
    refused(`007-${body.slice(1)}`, 'ERR_TOKEN_MALFORMED') // base64url character
    refused(`007é${body.slice(1)}`, 'ERR_TOKEN_MALFORMED') // not ASCII
    refused(`007😀${body.slice(2)}`, 'ERR_TOKEN_MALFORMED') // a surrogate pair
    refused(`007${body.slice(0, 4)}=${body.slice(5)}`, 'ERR_TOKEN_MALFORMED') // padding inside
    refused('007AB=A', 'ERR_TOKEN_MALFORMED')
    refused('007A===', 'ERR_TOKEN_MALFORMED') // three padding characters
    refused('007====', 'ERR_TOKEN_MALFORMED')
  })

  it('a stream that is not exactly one zlib stream', () => {
    const stream = compressedOf(valid)
    refused('007', 'ERR_TOKEN_MALFORMED') // empty
    refused(token007Of(stream.subarray(2)), 'ERR_TOKEN_MALFORMED') // raw deflate
    refused(token007Of(Uint8Array.from([...stream, 0])), 'ERR_TOKEN_MALFORMED') // trailing byte
    refused(token007Of(stream.subarray(0, -1)), 'ERR_TOKEN_MALFORMED') // truncated Adler-32
    const badAdler = stream.slice()
    badAdler[badAdler.length - 1] ^= 1
    refused(token007Of(badAdler), 'ERR_TOKEN_MALFORMED')
    const dictionary = stream.slice()
    dictionary[1] = 0xbb // FDICT set, header check still a multiple of 31
    expect(((dictionary[0] << 8) | dictionary[1]) % 31).toBe(0)
    refused(token007Of(dictionary), 'ERR_TOKEN_MALFORMED')
    const window = stream.slice()
    window[0] = 0x88 // CINFO 8
    window[1] = 0x1c - ((0x8800 + 0x1c) % 31) + 31
    expect(((window[0] << 8) | window[1]) % 31).toBe(0)
    refused(token007Of(window), 'ERR_TOKEN_MALFORMED')
  })

  it('non-zero padding bits, which zlib ignores', () => {
    // A stored block: 3 header bits, then 5 padding bits before LEN.
    const payload = payloadOf(valid)
    const stored = zlib(payload, { level: 0 })
    expect('ok' in same(token007Of(stored))).toBe(true)
    const padded = stored.slice()
    padded[2] |= 0x80
    refused(token007Of(padded), 'ERR_TOKEN_MALFORMED')
    // After the last block, before the Adler-32: the stored block made not the last, then an
    // empty last fixed block (3 header bits, the 7-bit end-of-block code, 6 padding bits).
    expect(stored[2]).toBe(0x01)
    const ended = (padding: number) =>
      Uint8Array.from([
        ...stored.subarray(0, 2),
        0x00,
        ...stored.subarray(3, -4),
        0x03,
        padding,
        ...stored.subarray(-4),
      ])
    expect(same(token007Of(ended(0)))).toEqual(same(valid))
    refused(token007Of(ended(0x80)), 'ERR_TOKEN_MALFORMED')
    refused(token007Of(ended(0x04)), 'ERR_TOKEN_MALFORMED')
    // zlib itself ignores those bits: the same payload.
    expect(new Uint8Array(inflateSync(ended(0x80)))).toEqual(payload)
    // And in a real token, wherever the last byte has padding bits.
    const fixed = zlib(payload, { strategy: 4 }) // Z_FIXED
    for (let bit = 7; bit > 0; bit--) {
      const copy = fixed.slice()
      copy[copy.length - 5] |= 1 << bit
      same(token007Of(copy))
    }
  })

  it('payloads over the 128 KiB cap, and tokens too long to fit it', () => {
    expect(MAX_PAYLOAD_BYTES).toBe(DEFAULT_MAX_PAYLOAD_BYTES)
    const base = payloadOf(valid)
    const filled = (size: number) => {
      const p = new Uint8Array(size)
      p.set(base)
      return p
    }
    // At the cap the payload is read (and refused for its bytes after the last service).
    refused(token007Of(zlib(filled(131_072))), 'ERR_TOKEN_MALFORMED')
    refused(token007Of(zlib(filled(131_073))), 'ERR_TOKEN_TOO_LARGE')
    refused(token007Of(zlib(filled(131_073), { level: 0 })), 'ERR_TOKEN_TOO_LARGE')
    refused(`007${'A'.repeat(174_905)}`, 'ERR_TOKEN_TOO_LARGE') // 174,908 characters
    refused(`007${'A'.repeat(174_904)}`, 'ERR_TOKEN_MALFORMED') // 174,907: the longest allowed
    // Over the cap, a corrupt end is still "too large" (zlib stops when its room is full).
    const over = zlib(filled(131_073))
    over[over.length - 1] ^= 1
    refused(token007Of(over), 'ERR_TOKEN_TOO_LARGE')
  })

  it('a payload that does not follow the format', () => {
    const ok = payload007(rtc(1), 1)
    expect('ok' in same(token007Of(zlib(ok)))).toBe(true)
    refused(token007Of(zlib(ok.subarray(0, ok.length - 1))), 'ERR_TOKEN_MALFORMED') // cut short
    refused(token007Of(zlib(Uint8Array.from([...ok, 0]))), 'ERR_TOKEN_MALFORMED') // bytes after
    refused(token007Of(zlib(payload007(rtc(1, 1), 1))), 'ERR_TOKEN_MALFORMED') // privilege twice
    refused(token007Of(zlib(payload007(rtc(9, 9), 1))), 'ERR_TOKEN_MALFORMED') // by id, twice
    // A 30-byte signature.
    refused(token007Of(zlib(Uint8Array.from([30, 0, ...ok.subarray(4)]))), 'ERR_TOKEN_MALFORMED')
    // A byte order mark is text, kept (fatal UTF-8 without BOM stripping).
    const bom = [...u16(1), ...u16(0), ...text('\ufeffc'), ...text('1')]
    expect(same(token007Of(zlib(payload007(bom, 1))))).toMatchObject({
      ok: { services: [{ channelName: '\ufeffc' }] },
    })
    // A channel name that is not UTF-8.
    const badText = [...u16(1), ...u16(0), ...u16(1), 0xff, ...text('1')]
    refused(token007Of(zlib(payload007(badText, 1))), 'ERR_TOKEN_MALFORMED')
  })

  it('RTM2 permission trees with a resource type or permission twice', () => {
    const rtm2 = (tree: number[]) => [...u16(8), ...u16(0), ...text('u'), ...tree]
    const once = [...u16(1), ...u16(1), ...u16(1), ...u16(0), ...u16(1), ...text('ch')]
    const decoded = same(token007Of(zlib(payload007(rtm2(once), 1))))
    expect(decoded).toMatchObject({
      ok: { services: [{ type: 'rtm2', permissions: { streamChannels: { read: ['ch'] } } }] },
    })
    const resourceTwice = [...u16(2), ...u16(1), ...u16(0), ...u16(1), ...u16(0)]
    refused(token007Of(zlib(payload007(rtm2(resourceTwice), 1))), 'ERR_TOKEN_MALFORMED')
    const permissionTwice = [
      ...u16(1),
      ...u16(7),
      ...u16(2),
      ...u16(1),
      ...u16(0),
      ...u16(1),
      ...u16(0),
    ]
    refused(token007Of(zlib(payload007(rtm2(permissionTwice), 1))), 'ERR_TOKEN_MALFORMED')
  })

  it('stops at an unknown service type, whose rest is opaque', () => {
    const unknown = [...rtc(1), ...u16(77), 1, 2, 3]
    const result = same(token007Of(zlib(payload007(unknown, 3))))
    expect(result).toMatchObject({ ok: { unknownServiceType: 77, services: [{ type: 'rtc' }] } })
  })

  it('006 tokens: app id, length limits, content and message', () => {
    const token = '006970ca35de60c44645bbae8a215061b33IAD'
    refused('006', 'ERR_TOKEN_MALFORMED')
    refused(`006${'g'.repeat(32)}`, 'ERR_TOKEN_MALFORMED')
    refused(token, 'ERR_TOKEN_MALFORMED')
    const body = (bytes: number[]) => `006${APP_ID}${Buffer.from(bytes).toString('base64')}`
    const u32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24]
    const message = (privileges: number[][]) => [
      ...u32(1),
      ...u32(1_700_000_000),
      ...u16(privileges.length),
      ...privileges.flatMap(([id, at]) => [...u16(id), ...u32(at)]),
    ]
    const content = (m: number[]) => [
      ...u16(32),
      ...new Array(32).fill(1),
      ...u32(5),
      ...u32(6),
      ...u16(m.length),
      ...m,
    ]
    expect(
      same(
        body(
          content(
            message([
              [1, 0],
              [1000, 5],
            ]),
          ),
        ),
      ),
    ).toMatchObject({
      ok: { version: '006', privileges: { joinChannel: 0, rtmLogin: 5 }, crcChannelName: 5 },
    })
    refused(
      body(
        content(
          message([
            [1, 0],
            [1, 5],
          ]),
        ),
      ),
      'ERR_TOKEN_MALFORMED',
    ) // privilege twice
    refused(body([...content(message([])), 0]), 'ERR_TOKEN_MALFORMED') // after the message
    refused(body(content([...message([]), 0])), 'ERR_TOKEN_MALFORMED') // after the privileges
    refused(body(content(message([])).slice(0, -1)), 'ERR_TOKEN_MALFORMED') // cut short
    refused(`006${APP_ID}${'A'.repeat(87_444)}`, 'ERR_TOKEN_MALFORMED') // longer than any
    refused(`006${APP_ID}${'A'.repeat(174_765)}`, 'ERR_TOKEN_TOO_LARGE')
    refused(`006${APP_ID}${'A'.repeat(174_764)}`, 'ERR_TOKEN_MALFORMED')
    refused(`006${APP_ID}${'A'.repeat(87_440)}`, 'ERR_TOKEN_MALFORMED') // decodes, to nothing valid
  })

  it('throws nothing but TokenErrors', () => {
    for (const token of ['007', '006', '007====', `007${'/'.repeat(8)}`, '\u0000'.repeat(3)]) {
      expect(() => readToken(token)).toThrow(TokenError)
      expect(() => decodeToken(token)).toThrow(TokenError)
    }
  })
})
