// The zlib boundary (src/lib/zlib.ts and its pure-JS deflater and inflater in src/lib/zlib/):
// differential tests against pako, which is C zlib 1.2.13 ported to JavaScript.
//
//   - deflateZlib must produce exactly pako.deflate(..., { level 6, windowBits 15, memLevel 8,
//     legacyHash }) = C zlib's default output, byte for byte;
//   - inflateZlib must accept exactly the streams pako's inflate accepts (one zlib stream,
//     windowBits 15, nothing after the Adler-32), give the same bytes, and report "too large"
//     exactly when pako, given maxOutput + 1 bytes of room, fills them.
//
// Everything random is seeded. `npm test` runs a tenth of the corpus below (ZLIB_CORPUS_SCALE,
// default 0.1); `npm run test:zlib-long` runs all of it, and the long differential
// test/long/zlib-differential.long.ts (millions of cases).
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as pako from 'pako'
import * as nodeZlib from 'node:zlib'
import { deflateZlibTransient, inflateZlibTransient } from '../../src/lib/zlib.js'
import { adler32 } from '../../src/lib/zlib/adler32.js'
import { DEFLATE_MAX_INPUT, deflateView } from '../../src/lib/zlib/deflate.js'
import { SYMBOL_DIST_SHIFT, SYMBOLS_PER_BLOCK } from '../../src/lib/zlib/blocks.js'
import { MATCH_LENGTH_MASK, MATCH_START_SHIFT, MAX_DIST } from '../../src/lib/zlib/matcher.js'
import { LITERALS, MAX_MATCH, MIN_MATCH } from '../../src/lib/zlib/tables.js'
import { deflateZlib, inflateZlib } from '../helpers/zlib.js'
import { TokenMalformed, TokenTooLarge } from '../../src/errors.js'
import {
  BitWriter,
  PAYLOAD_KINDS,
  Rng,
  adler32Reference,
  corruptStream,
  craftedStream,
  describe as describeVerdict,
  hex,
  pakoVariantStream,
  randomPayload,
  referenceDeflate,
  referenceInflate,
  sameBytes,
  sameVerdict,
  matchesReference,
  tokenLikePayload,
  verdictOf,
  type Verdict,
} from '../helpers/zlib-corpus.js'
import { isStandardZlib, vectorFiles } from '../helpers/vectors.js'
import { MATCHER_PATHS, onMatcherPath } from '../helpers/matcher-paths.js'

const MAX = 1 << 16

/** The share of the bulk corpus to run: 0.1 in `npm test`, 1 in `npm run test:zlib-long`. */
const SCALE = Number(process.env.ZLIB_CORPUS_SCALE ?? 0.1)
/** `n` cases at the current scale (at least one). */
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE))
const count = (n: number) => scaled(n).toLocaleString('en-US')

/** Compares our inflate with pako's on one stream; returns a description when they differ. */
function inflateMismatch(stream: Uint8Array, maxOutput = MAX): string | undefined {
  const ours = verdictOf(() => inflateZlib(stream, maxOutput))
  const ref = referenceInflate(stream, maxOutput)
  if (
    matchesReference(ours, ref, stream, maxOutput, (x) =>
      verdictOf(() => inflateZlib(x, maxOutput)),
    )
  )
    return undefined
  return `stream ${hex(stream)} maxOutput ${maxOutput}: ours ${describeVerdict(ours)}, pako ${describeVerdict(ref)}`
}

/** Checks deflateZlibTransient (read before the next call) against pako. */
function deflateMismatch(data: Uint8Array): string | undefined {
  const ref = referenceDeflate(data)
  const ours = deflateZlibTransient(data)
  if (sameBytes(ours, ref)) return undefined
  return `payload ${hex(data.subarray(0, 400))}${data.length > 400 ? '…' : ''} (${data.length} bytes): ours ${hex(ours.subarray(0, 60))}…, pako ${hex(ref.subarray(0, 60))}…`
}

/** Collects at most a few failures, so that a broken build reports examples, not megabytes. */
function collect(failures: string[], failure: string | undefined): void {
  if (failure !== undefined && failures.length < 5) failures.push(failure)
}

describe.each(MATCHER_PATHS)(
  'deflateZlib is byte-identical to C zlib (pako legacyHash) at the defaults, $name',
  (path) => {
    it(`on ${count(16_000)} seeded payloads of every kind, 0..2000 bytes`, () => {
      const rng = new Rng(0x5eed0001)
      const failures: string[] = []
      const perKind = scaled(2000)
      for (const kind of PAYLOAD_KINDS) {
        for (let i = 0; i < perKind; i++)
          collect(failures, deflateMismatch(randomPayload(rng, 2000, kind)))
      }
      expect(failures).toEqual([])
    })

    it(`on ${count(10_000)} token-shaped payloads (signature, hex app id, small integers, privilege maps, UTF-8)`, () => {
      const rng = new Rng(0x5eed0002)
      const failures: string[] = []
      for (let i = 0, n = scaled(10_000); i < n; i++)
        collect(failures, deflateMismatch(tokenLikePayload(rng)))
      expect(failures).toEqual([])
    })

    it('on every size from 0 to 600 bytes, for several kinds of content', () => {
      const rng = new Rng(0x5eed0003)
      const failures: string[] = []
      const kinds = ['random', 'token', 'repeats', 'low-entropy'] as const
      for (let n = 0; n <= 600; n++) {
        // The whole corpus tries every kind at every size; a fast run one kind per size, in turn.
        for (const kind of SCALE >= 1 ? kinds : [kinds[n % kinds.length]]) {
          const p = randomPayload(rng, 4 * n + 100, kind)
          const data =
            p.length >= n
              ? p.subarray(0, n)
              : Uint8Array.from({ length: n }, (_, i) => p[i % Math.max(1, p.length)] ?? 0)
          collect(failures, deflateMismatch(data))
        }
      }
      expect(failures).toEqual([])
    })

    it('across block boundaries (16,383 symbols per block) up to DEFLATE_MAX_INPUT, and above it (pako fallback)', () => {
      const rng = new Rng(0x5eed0004)
      const failures: string[] = []
      const sizes = [
        16_382, 16_383, 16_384, 16_385, 32_506, 32_507, 32_768, 32_769, 49_149, 49_150, 49_151,
      ]
      for (let i = 0, n = scaled(40); i < n; i++) sizes.push(rng.range(2_001, DEFLATE_MAX_INPUT))
      sizes.push(
        DEFLATE_MAX_INPUT - 1,
        DEFLATE_MAX_INPUT,
        DEFLATE_MAX_INPUT + 1,
        DEFLATE_MAX_INPUT + 1000,
      )
      for (const n of sizes) {
        const kind = rng.pick([
          'random',
          'low-entropy',
          'repeats',
          'text',
          'zeros',
          'records',
        ] as const)
        const p = randomPayload(rng, n, kind)
        const data = new Uint8Array(n)
        // Tile the payload up to exactly n bytes, with a little noise so it is not one long match.
        for (let k = 0; k < n; k++)
          data[k] = p.length ? p[k % p.length] ^ (rng.chance(0.01) ? 1 : 0) : 0
        collect(failures, deflateMismatch(data))
      }
      expect(failures).toEqual([])
    })

    it('on inputs inside larger buffers, at every byte offset (the matcher reads 2 and 4 bytes at once through a DataView)', () => {
      const rng = new Rng(0x5eed0005)
      const failures: string[] = []
      for (let i = 0, n = scaled(400); i < n; i++) {
        const p = randomPayload(rng, rng.pick([300, 2000, 9000]))
        const offset = rng.int(8)
        const host = new Uint8Array(offset + p.length + rng.int(8))
        for (let k = 0; k < host.length; k++) host[k] = rng.int(256)
        host.set(p, offset)
        collect(failures, deflateMismatch(host.subarray(offset, offset + p.length)))
      }
      expect(failures).toEqual([])
    })

    it('on matches that run to the end of the input: runs and short periods of every length', () => {
      const rng = new Rng(0x5eed0006)
      const failures: string[] = []
      for (let run = 0; run <= 300; run++) {
        // A random prefix, then a run of one byte or a pattern of period 2..9 up to the end: the
        // matcher's 4-byte comparison stops short of the end and finishes byte by byte.
        const prefix = randomPayload(rng, rng.int(40), 'random')
        const period = 1 + (run % 9)
        const pattern = Uint8Array.from({ length: period }, () => rng.int(256))
        const data = new Uint8Array(prefix.length + run)
        data.set(prefix)
        for (let k = 0; k < run; k++) data[prefix.length + k] = pattern[k % period]
        collect(failures, deflateMismatch(data))
        collect(failures, deflateMismatch(new Uint8Array(run).fill(run & 0xff)))
      }
      expect(failures).toEqual([])
    })

    it('on calls alternating large and small inputs (the hash table is cleared entry by entry or all at once)', () => {
      const rng = new Rng(0x5eed0007)
      const failures: string[] = []
      // 2,048 inserted positions (2,050 bytes) is where clearing switches to all at once.
      const sizes = [2049, 2050, 2051, 2052, 60_000, 120, 2051, 8171, 3, 2050, 40_000, 2052, 0, 500]
      for (let i = 0, n = scaled(60); i < n; i++)
        sizes.push(rng.pick([rng.int(3000), rng.int(65_000)]))
      for (const n of sizes) {
        const kind = rng.pick(['random', 'token', 'repeats', 'text', 'zeros', 'records'] as const)
        const p = randomPayload(rng, n, kind)
        const data = new Uint8Array(n)
        for (let k = 0; k < n; k++) data[k] = p.length ? p[k % p.length] : 0
        collect(failures, deflateMismatch(data))
      }
      expect(failures).toEqual([])
    })

    it('uses the numbers its loops have as literals (the const enums of deflate.ts, matcher.ts, blocks.ts)', () => {
      // Those enums repeat these constants so that the compiler inlines them; they must agree.
      expect([MIN_MATCH, MAX_MATCH, MAX_DIST, MATCH_START_SHIFT, MATCH_LENGTH_MASK]).toEqual([
        3, 258, 32506, 9, 511,
      ])
      expect([SYMBOL_DIST_SHIFT, SYMBOLS_PER_BLOCK, LITERALS]).toEqual([8, 16383, 256])
    })

    it('inflateZlibTransient gives the bytes of inflateZlib as a view that the next call reuses', () => {
      const a = referenceDeflate(new Uint8Array(300).fill(3))
      const b = referenceDeflate(new Uint8Array(300).fill(4))
      const first = inflateZlibTransient(a, MAX)
      expect(first).toEqual(inflateZlib(a, MAX))
      const copy = first.slice()
      inflateZlibTransient(b, MAX)
      expect(first).not.toEqual(copy)
      expect(() => inflateZlibTransient(a, 299)).toThrow(TokenTooLarge)
      expect(() => inflateZlibTransient(a.subarray(0, a.length - 1), MAX)).toThrow(TokenMalformed)
    })

    it('deflateZlibTransient gives a view that the next call reuses, and pako above DEFLATE_MAX_INPUT', () => {
      const first = deflateZlibTransient(new Uint8Array(100).fill(1))
      const copy = first.slice()
      expect(copy).toEqual(referenceDeflate(new Uint8Array(100).fill(1)))
      deflateZlibTransient(new Uint8Array(100).fill(2))
      expect(first).not.toEqual(copy)
      const large = new Uint8Array(DEFLATE_MAX_INPUT + 1).map((_, i) => (i * 7919) >> 3)
      expect(hex(deflateZlibTransient(large))).toBe(hex(referenceDeflate(large)))
    })

    it('leaves inputs above DEFLATE_MAX_INPUT to the caller', () => {
      expect(DEFLATE_MAX_INPUT).toBe(65_273)
      expect(deflateView(new Uint8Array(DEFLATE_MAX_INPUT + 1))).toBeUndefined()
      expect(deflateView(new Uint8Array(DEFLATE_MAX_INPUT))).toBeInstanceOf(Uint8Array)
    })

    it('on arbitrary byte arrays (fast-check)', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 3000 }), (data) => {
          expect(hex(deflateZlib(data))).toBe(hex(referenceDeflate(data)))
        }),
        { numRuns: scaled(500), seed: 0x5eed0005 },
      )
    })

    it('reproduces the tokens of every C zlib 1.2.13 reference (Python, Java, C++, PHP, Ruby)', () => {
      let checked = 0
      for (const file of vectorFiles('accesstoken2').concat(vectorFiles('accesstoken2-builders'))) {
        if (!isStandardZlib(file.file)) continue
        for (const v of file.vectors) {
          if (typeof v.payloadHex !== 'string' || typeof v.token !== 'string') continue
          const payload = new Uint8Array(Buffer.from(v.payloadHex, 'hex'))
          expect(hex(deflateZlib(payload)), `${file.file} ${v.id}`).toBe(
            hex(Buffer.from(v.token.slice(3), 'base64')),
          )
          checked++
        }
      }
      expect(checked).toBeGreaterThan(500)
    })

    onMatcherPath(path)
  },
)

describe('inflateZlib decodes every valid stream', () => {
  it(`round-trips ${count(20_000)} seeded payloads through deflateZlib`, () => {
    const rng = new Rng(0x5eed0101)
    for (let i = 0, n = scaled(20_000); i < n; i++) {
      const data = randomPayload(rng, i % 10 === 0 ? 8000 : 1500)
      const out = inflateZlib(deflateZlib(data), data.length)
      if (!sameBytes(out, data)) expect(hex(out)).toBe(hex(data))
    }
  })

  it('copies long overlapping matches of every period (runs, repeated patterns)', () => {
    const rng = new Rng(0x5eed0104)
    for (let period = 1; period <= 70; period++) {
      for (const length of [33, 100, 258, 259, 600, 5000]) {
        const pattern = rng.bytes(period)
        const data = new Uint8Array(rng.range(0, 5) + length)
        data.set(rng.bytes(data.length - length))
        for (let i = data.length - length; i < data.length; i++) data[i] = pattern[i % period]
        for (const level of [1, 6, 9]) {
          const stream = new Uint8Array(nodeZlib.deflateSync(data, { level }))
          const out = inflateZlib(stream, data.length)
          if (!sameBytes(out, data)) expect(`${period}/${length}: ${hex(out)}`).toBe(hex(data))
        }
      }
    }
  })

  it('copies short matches of every length and distance, overlapping or not (hand-built fixed blocks)', () => {
    // RFC 1951 §3.2.5, written out here rather than taken from the code under test.
    const lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59]
    const lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
    const distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65]
    const distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5]
    /** The code index whose range holds `value`. */
    const slot = (bases: number[], value: number) => bases.filter((b) => b <= value).length - 1
    const literal = (w: BitWriter, byte: number) =>
      byte < 144 ? w.code(0x30 + byte, 8) : w.code(0x190 + byte - 144, 9)
    const rng = new Rng(0x5eed0105)
    for (let distance = 1; distance <= 70; distance++) {
      const w = new BitWriter().byte(0x78).byte(0x9c).bits(1, 1).bits(1, 2) // final, fixed
      const out: number[] = []
      for (let i = 0; i < 70; i++) {
        out.push(rng.int(256))
        literal(w, out[i])
      }
      for (let length = 3; length <= 66; length++) {
        const l = slot(lengthBase, length)
        const symbol = 257 + l
        if (symbol < 280) w.code(symbol - 256, 7)
        else w.code(0xc0 + symbol - 280, 8)
        w.bits(length - lengthBase[l], lengthExtra[l])
        const d = slot(distBase, distance)
        w.code(d, 5).bits(distance - distBase[d], distExtra[d])
        for (let i = 0; i < length; i++) out.push(out[out.length - distance])
        out.push(rng.int(256))
        literal(w, out[out.length - 1])
      }
      w.code(0, 7) // end of block
      const expected = Uint8Array.from(out)
      const check = adler32Reference(expected)
      const stream = w
        .align()
        .bits(check >>> 24, 8)
        .bits(check >>> 16, 8)
        .bits(check >>> 8, 8)
      const bytes = stream.bits(check, 8).finish()
      expect(hex(new Uint8Array(nodeZlib.inflateSync(bytes))), 'node:zlib').toBe(hex(expected))
      const ours = inflateZlib(bytes, expected.length)
      if (!sameBytes(ours, expected)) expect(`${distance}: ${hex(ours)}`).toBe(hex(expected))
    }
  })

  it('decodes pako streams of every level, strategy, window, memLevel, hash and flush pattern', () => {
    const rng = new Rng(0x5eed0102)
    const failures: string[] = []
    for (let i = 0, n = scaled(4000); i < n; i++) {
      const data = randomPayload(rng, i % 20 === 0 ? 40_000 : 1500)
      const stream = pakoVariantStream(rng, data)
      const out = verdictOf(() => inflateZlib(stream, MAX))
      if (out.kind !== 'ok' || !sameBytes(out.bytes, data))
        collect(failures, `${hex(stream)}: ${describeVerdict(out)}`)
    }
    expect(failures).toEqual([])
  })

  it('decodes node:zlib streams of every level, strategy, windowBits and memLevel', () => {
    const rng = new Rng(0x5eed0103)
    const strategies = [
      nodeZlib.constants.Z_DEFAULT_STRATEGY,
      nodeZlib.constants.Z_FILTERED,
      nodeZlib.constants.Z_HUFFMAN_ONLY,
      nodeZlib.constants.Z_RLE,
      nodeZlib.constants.Z_FIXED,
    ]
    for (let i = 0, n = scaled(1500); i < n; i++) {
      const data = randomPayload(rng, i % 25 === 0 ? 30_000 : 1500)
      const stream = new Uint8Array(
        nodeZlib.deflateSync(data, {
          level: rng.range(-1, 9),
          strategy: rng.pick(strategies),
          windowBits: rng.range(9, 15),
          memLevel: rng.range(1, 9),
        }),
      )
      const out = inflateZlib(stream, MAX)
      if (!sameBytes(out, data)) expect(hex(out)).toBe(hex(data))
    }
  })

  it('decodes the tokens of every reference implementation (C zlib, Go, Java, Node, ...)', () => {
    let checked = 0
    for (const file of vectorFiles('accesstoken2').concat(vectorFiles('accesstoken2-builders'))) {
      for (const v of file.vectors) {
        if (
          typeof v.payloadHex !== 'string' ||
          typeof v.token !== 'string' ||
          !v.token.startsWith('007')
        )
          continue
        const stream = new Uint8Array(Buffer.from(v.token.slice(3), 'base64'))
        expect(hex(inflateZlib(stream, 1 << 20)), `${file.file} ${v.id}`).toBe(v.payloadHex)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(1500)
  })

  it('gives the same verdict as pako on the hand-made invalid tokens of the corpus', () => {
    for (const file of vectorFiles('accesstoken2-invalid')) {
      for (const v of file.vectors) {
        if (typeof v.token !== 'string' || !v.token.startsWith('007')) continue
        const bytes = Buffer.from(v.token.slice(3), 'base64')
        const mismatch = inflateMismatch(new Uint8Array(bytes), 1 << 16)
        expect(mismatch, v.id).toBeUndefined()
      }
    }
  })
})

describe('inflateZlib gives pako’s verdict on damaged and hand-made streams', () => {
  it(`on ${count(20_000)} corrupted, truncated and extended streams`, () => {
    const rng = new Rng(0x5eed0201)
    const failures: string[] = []
    let base = deflateZlib(tokenLikePayload(rng))
    for (let i = 0, n = scaled(20_000); i < n; i++) {
      if (i % 8 === 0) {
        const data = randomPayload(rng, 1500)
        base = rng.chance(0.5) ? deflateZlib(data) : pakoVariantStream(rng, data)
      }
      const max = rng.chance(0.8) ? MAX : rng.int(2000)
      collect(failures, inflateMismatch(corruptStream(rng, base), max))
    }
    expect(failures).toEqual([])
  })

  it(`on ${count(20_000)} hand-built streams exercising the code-set rules (complete, incomplete, over-subscribed, single, empty)`, () => {
    const rng = new Rng(0x5eed0202)
    const failures: string[] = []
    const kinds: Record<string, number> = {}
    const n = scaled(20_000)
    for (let i = 0; i < n; i++) {
      const stream = craftedStream(rng)
      const max = rng.chance(0.8) ? MAX : rng.int(100)
      const ours = verdictOf(() => inflateZlib(stream, max))
      const ref = referenceInflate(stream, max)
      if (!matchesReference(ours, ref, stream, max, (x) => verdictOf(() => inflateZlib(x, max)))) {
        collect(
          failures,
          `stream ${hex(stream)} maxOutput ${max}: ours ${describeVerdict(ours)}, pako ${describeVerdict(ref)}`,
        )
      }
      kinds[ref.kind] = (kinds[ref.kind] ?? 0) + 1
    }
    expect(failures).toEqual([])
    // The generator must produce all three outcomes in useful numbers.
    expect(kinds.ok).toBeGreaterThan(n / 10)
    expect(kinds.malformed).toBeGreaterThan(n / 10)
    expect(kinds['too-large']).toBeGreaterThan(n / 100)
  })

  it('on every two-byte header in front of a valid body (CM, CINFO, FCHECK, FDICT)', () => {
    const body = deflateZlib(new TextEncoder().encode('header test header test')).subarray(2)
    const stream = new Uint8Array(body.length + 2)
    stream.set(body, 2)
    let accepted = 0
    for (let h = 0; h < 65536; h++) {
      stream[0] = h >>> 8
      stream[1] = h & 0xff
      const mismatch = inflateMismatch(stream)
      if (mismatch !== undefined) expect(mismatch).toBeUndefined()
      if (referenceInflate(stream, MAX).kind === 'ok') accepted++
    }
    // RFC 1950: CM 8, CINFO at most 7, FDICT clear, and CMF*256 + FLG a multiple of 31.
    let expected = 0
    for (let h = 0; h < 65536; h++) {
      if (((h >> 8) & 0x0f) === 8 && h >> 12 <= 7 && (h & 0x20) === 0 && h % 31 === 0) expected++
    }
    expect(accepted).toBe(expected)
  })

  it('on every truncation and every single appended byte of a few streams', () => {
    const rng = new Rng(0x5eed0203)
    const failures: string[] = []
    for (let s = 0; s < 12; s++) {
      const data = randomPayload(rng, 800)
      const stream = s % 2 ? deflateZlib(data) : pakoVariantStream(rng, data)
      for (let n = 0; n <= stream.length; n++)
        collect(failures, inflateMismatch(stream.subarray(0, n)))
      for (let b = 0; b < 256; b += 17)
        collect(failures, inflateMismatch(Uint8Array.from([...stream, b])))
    }
    expect(failures).toEqual([])
  })

  it('on specific edge cases', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['empty input', new Uint8Array(0)],
      ['header only', Uint8Array.of(0x78, 0x9c)],
      ['empty stream', Uint8Array.of(0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01)],
      [
        'empty stored block',
        Uint8Array.of(0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01),
      ],
      [
        'stored block with bad NLEN',
        Uint8Array.of(0x78, 0x01, 0x01, 0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x01),
      ],
      ['block type 3', Uint8Array.of(0x78, 0x9c, 0x07, 0x00)],
      ['gzip member', new Uint8Array(pako.gzip('x'))],
      ['raw deflate', new Uint8Array(pako.deflateRaw('raw deflate'))],
      [
        'preset dictionary',
        new Uint8Array(pako.deflate('abc', { dictionary: new TextEncoder().encode('abc') })),
      ],
      ['window size 2^16 (CINFO 8)', Uint8Array.of(0x88, 0x1c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01)],
      [
        'two concatenated streams',
        Uint8Array.of(...deflateZlib(Uint8Array.of(1)), ...deflateZlib(Uint8Array.of(2))),
      ],
      ['fixed block with literal/length symbol 286', fixedBlock((w) => w.code(0b11000110, 8))],
      [
        'fixed block with distance symbol 30',
        fixedBlock((w) => w.code(0b00110000, 8).code(0b0001, 7).code(30, 5)),
      ],
      [
        'distance farther than the output',
        fixedBlock((w) => w.code(0b00110000, 8).code(0b0000001, 7).code(1, 5)),
      ],
      [
        'distance exactly the output',
        fixedBlock((w) => w.code(0b00110001, 8).code(0b0000001, 7).code(0, 5)),
      ],
      ['dynamic block: only end-of-block, a single 1-bit code', singleCodeBlock()],
      ['dynamic block: a single 1-bit distance code, used', singleDistanceBlock(0)],
      ['dynamic block: a single 1-bit distance code, unused code used', singleDistanceBlock(1)],
    ]
    for (const [name, stream] of cases) {
      const ours = verdictOf(() => inflateZlib(stream, MAX))
      const ref = referenceInflate(stream, MAX)
      expect(describeVerdict(ours), name).toBe(describeVerdict(ref))
      expect(sameVerdict(ours, ref), name).toBe(true)
    }
    // A few of these are worth pinning down beyond "same as pako".
    expect(verdictOf(() => inflateZlib(cases[2][1], MAX)).kind).toBe('ok')
    expect(verdictOf(() => inflateZlib(cases[14][1], MAX)).kind).toBe('ok')
    expect(verdictOf(() => inflateZlib(cases[15][1], MAX)).kind).toBe('ok')
    expect(verdictOf(() => inflateZlib(cases[16][1], MAX)).kind).toBe('ok')
    expect(verdictOf(() => inflateZlib(cases[17][1], MAX)).kind).toBe('malformed')
  })
})

describe('inflateZlib enforces maxOutput', () => {
  it('accepts output of exactly maxOutput bytes and refuses one byte more, for stored, fixed and dynamic blocks', () => {
    const rng = new Rng(0x5eed0301)
    const kinds = new Set<string>()
    for (let i = 0, n = scaled(600); i < n; i++) {
      const data = randomPayload(rng, 3000)
      const stream = i % 3 === 0 ? deflateZlib(data) : pakoVariantStream(rng, data)
      kinds.add(['stored', 'fixed', 'dynamic', 'bad'][(stream[2] >> 1) & 3])
      expect(hex(inflateZlib(stream, data.length))).toBe(hex(data))
      if (data.length > 0) expect(() => inflateZlib(stream, data.length - 1)).toThrow(TokenTooLarge)
    }
    expect([...kinds].sort()).toEqual(['dynamic', 'fixed', 'stored'])
  })

  it('matches pako’s verdict for every maxOutput around the output size, also on truncated streams', () => {
    const rng = new Rng(0x5eed0302)
    const failures: string[] = []
    for (let i = 0, n = scaled(150); i < n; i++) {
      const data = randomPayload(rng, 600)
      const stream = rng.chance(0.5) ? deflateZlib(data) : pakoVariantStream(rng, data)
      for (let variant = 0; variant < 4; variant++) {
        const s =
          variant === 0
            ? stream
            : variant === 3
              ? Uint8Array.of(...stream, ...rng.bytes(rng.range(1, 3)))
              : stream.subarray(0, rng.int(stream.length))
        for (let max = 0; max <= data.length + 1; max += Math.max(1, data.length >> 4)) {
          collect(failures, inflateMismatch(s, max))
        }
        collect(failures, inflateMismatch(s, Math.max(0, data.length - 1)))
      }
    }
    expect(failures).toEqual([])
  })

  it('refuses bytes after a stream before its size, as zlib given maxOutput + 1 bytes of room does', () => {
    const data = new TextEncoder().encode('exactly one byte over the limit, then junk')
    const stream = Uint8Array.of(...deflateZlib(data), 0x00)
    // The stream completes in maxOutput + 1 bytes: zlib reaches its end, and then the junk counts.
    expect(() => inflateZlib(stream, data.length - 1)).toThrow(TokenMalformed)
    expect(referenceInflate(stream, data.length - 1).kind).toBe('malformed')
    // Two bytes over: zlib stops with a full buffer before the end.
    expect(() => inflateZlib(stream, data.length - 2)).toThrow(TokenTooLarge)
    expect(referenceInflate(stream, data.length - 2).kind).toBe('too-large')
    // Without junk, one byte over is too large.
    expect(() => inflateZlib(stream.subarray(0, -1), data.length - 1)).toThrow(TokenTooLarge)
  })

  it('stops an inflate bomb at the limit without allocating its output', () => {
    const bomb = new Uint8Array(nodeZlib.deflateSync(new Uint8Array(50 << 20), { level: 9 }))
    expect(bomb.length).toBeLessThan(60_000)
    expect(() => inflateZlib(bomb, 1 << 16)).toThrow(TokenTooLarge)
    expect(() => inflateZlib(bomb, 0)).toThrow(TokenTooLarge)
    expect(() => inflateZlib(bomb.subarray(0, 1000), 1 << 16)).toThrow(TokenTooLarge)
    expect(() => inflateZlib(bomb.subarray(0, 12), 1 << 20)).toThrow(TokenMalformed)
  })

  it('handles maxOutput 0 and the empty payload', () => {
    const empty = deflateZlib(new Uint8Array(0))
    expect(inflateZlib(empty, 0)).toEqual(new Uint8Array(0))
    expect(() => inflateZlib(deflateZlib(Uint8Array.of(7)), 0)).toThrow(TokenTooLarge)
  })
})

describe('inflateZlib throws nothing but TokenMalformed and TokenTooLarge', () => {
  it('for arbitrary bytes, and arbitrary bytes after a zlib header (fast-check)', () => {
    const check = (bytes: Uint8Array, max: number): void => {
      let v: Verdict
      try {
        v = { kind: 'ok', bytes: inflateZlib(bytes, max) }
      } catch (err) {
        expect(err instanceof TokenMalformed || err instanceof TokenTooLarge).toBe(true)
        return
      }
      expect(v.bytes.length).toBeLessThanOrEqual(max)
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(5000), (tail, max) => {
        check(tail, max)
        check(Uint8Array.of(0x78, 0x9c, ...tail), max)
        check(Uint8Array.of(0x78, 0x01, ...tail), max)
      }),
      { numRuns: scaled(3000), seed: 0x5eed0401 },
    )
  })

  it('with the same verdict as pako for arbitrary bytes after a zlib header (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (tail) => {
        const stream = Uint8Array.of(0x78, 0xda, ...tail)
        expect(inflateMismatch(stream)).toBeUndefined()
      }),
      { numRuns: scaled(5000), seed: 0x5eed0402 },
    )
  })
})

describe('adler32', () => {
  it('matches a straightforward implementation, including across the reduction points', () => {
    const rng = new Rng(0x5eed0501)
    const sizes = [0, 1, 2, 3, 4, 5, 3799, 3800, 3801, 3803, 5551, 5552, 5553, 7600, 11104]
    for (const n of [...sizes, 65536, 100_000, 131_072]) {
      for (const data of [rng.bytes(n), new Uint8Array(n).fill(255)]) {
        expect(adler32(data), `${n} bytes`).toBe(adler32Reference(data))
      }
    }
  })

  it('sums any sub-range, at every alignment', () => {
    const rng = new Rng(0x5eed0502)
    const data = rng.bytes(20_000)
    data.fill(255, 0, 9000)
    for (let i = 0; i < 300; i++) {
      const start = rng.int(10_000)
      const end = start + rng.int(10_000)
      expect(adler32(data, start, end)).toBe(adler32Reference(data.subarray(start, end)))
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Hand-made streams for the edge cases above.

/** A fixed-code final block with `body` (ending with end-of-block) and the right Adler-32. */
function fixedBlock(body: (w: BitWriter) => void): Uint8Array {
  const w = new BitWriter()
  w.bits(1, 1).bits(1, 2)
  body(w)
  w.code(0, 7) // end of block
  return wrapRaw(w.finish())
}

/** Wraps raw deflate data in a zlib header and the Adler-32 of what pako decodes from it. */
function wrapRaw(raw: Uint8Array): Uint8Array {
  let check = 0
  try {
    check = adler32Reference(pako.inflateRaw(raw))
  } catch {
    // invalid on purpose
  }
  return Uint8Array.of(
    0x78,
    0x9c,
    ...raw,
    check >>> 24,
    (check >>> 16) & 0xff,
    (check >>> 8) & 0xff,
    check & 0xff,
  )
}

/**
 * A dynamic block whose literal/length code has a single 1-bit code (end of block) and whose
 * distance code is empty: both incomplete, both accepted by zlib.
 */
function singleCodeBlock(): Uint8Array {
  const w = new BitWriter()
  w.bits(1, 1).bits(2, 2)
  w.bits(0, 5)
    .bits(0, 5)
    .bits(18 - 4, 4) // HLIT 257, HDIST 1, HCLEN 18
  // Code-length code: symbols 0 and 1 and 18 with lengths 2, 2, 1 (complete).
  const clLens = new Array(19).fill(0)
  clLens[18] = 1
  clLens[0] = 2
  clLens[1] = 2
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
  for (let i = 0; i < 18; i++) w.bits(clLens[order[i]], 3)
  // Canonical codes: 18 -> 0, 0 -> 10, 1 -> 11.
  w.code(0, 1).bits(138 - 11, 7) // 138 zeros
  w.code(0, 1).bits(118 - 11, 7) // 118 zeros: symbols 0..255 done
  w.code(0b11, 2) // symbol 256 (end of block): length 1
  w.code(0b10, 2) // the only distance length: 0
  w.code(0, 1) // end of block
  return wrapRaw(w.finish())
}

/**
 * A dynamic block with a single 1-bit distance code (distance code 0, so distance 1), which is
 * incomplete and accepted by zlib. Literal/length code: 'a' 1 bit, end of block and length 3
 * 2 bits each. Data: 'a', a match of length 3 whose distance is coded with bit `distanceBit`
 * (0 is the defined code, 1 the missing one), end of block.
 */
function singleDistanceBlock(distanceBit: number): Uint8Array {
  const w = new BitWriter()
  w.bits(1, 1).bits(2, 2)
  w.bits(258 - 257, 5)
    .bits(1 - 1, 5)
    .bits(18 - 4, 4) // HLIT 258, HDIST 1, HCLEN 18
  // Code-length code: 18 -> 1 bit (code 0), 1 and 2 -> 2 bits (codes 10 and 11).
  const clLens = new Array(19).fill(0)
  clLens[18] = 1
  clLens[1] = 2
  clLens[2] = 2
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
  for (let i = 0; i < 18; i++) w.bits(clLens[order[i]], 3)
  w.code(0, 1).bits(97 - 11, 7) // symbols 0..96: no code
  w.code(0b10, 2) // 'a' (97): length 1
  w.code(0, 1).bits(138 - 11, 7) // 98..235
  w.code(0, 1).bits(20 - 11, 7) // 236..255
  w.code(0b11, 2) // 256: length 2
  w.code(0b11, 2) // 257: length 2
  w.code(0b10, 2) // distance code 0: length 1
  // Literal/length codes: 'a' -> 0, 256 -> 10, 257 -> 11.
  w.code(0, 1) // 'a'
  w.code(0b11, 2) // length 3
  w.bits(distanceBit, 1) // distance
  w.code(0b10, 2) // end of block
  return wrapRaw(w.finish())
}
