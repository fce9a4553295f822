// Shared by test/lib/zlib.test.ts and test/long/zlib-differential.long.ts: a seeded random source,
// payload generators shaped like token payloads, stream generators and mutators for inflate, and
// the pako references our zlib boundary is compared against.
import * as pako from 'pako'
import { TokenMalformed, TokenTooLarge } from '../../src/errors.js'

// ---------------------------------------------------------------------------------------------
// Random source: mulberry32, so that every failure is reproducible from its seed.

export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A uniformly random uint32. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.next() / 4294967296) * n)
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.next() / 4294967296 < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff
    return out
  }

  /** Sizes skewed towards small ones: uniform in [0, max] after a random number of halvings. */
  size(max: number): number {
    let m = max
    while (m > 64 && this.chance(0.5)) m >>= 1
    return this.int(m + 1)
  }
}

// ---------------------------------------------------------------------------------------------
// References.

/** The deflate every reference implementation (C zlib 1.2.13 at its defaults) produces. */
export const PAKO_ZLIB_DEFAULTS = {
  level: 6,
  windowBits: 15,
  memLevel: 8,
  legacyHash: true,
} as const

export function referenceDeflate(data: Uint8Array): Uint8Array {
  return pako.deflate(data, PAKO_ZLIB_DEFAULTS)
}

export type Verdict =
  | { kind: 'ok'; bytes: Uint8Array }
  | { kind: 'malformed' }
  | { kind: 'too-large' }

let refStream: pako.ZStream | undefined

/**
 * pako's verdict on `data` as a token payload: zlib's low-level inflate with windowBits 15 and
 * an output buffer of maxOutput + 1 bytes; the stream must end exactly at the end of the input.
 * This is the pako-based implementation the library used before its own inflate.
 */
export function referenceInflate(data: Uint8Array, maxOutput: number): Verdict {
  if (data.length < 2 || (data[0] & 0x0f) !== 8 || ((data[0] << 8) | data[1]) % 31 !== 0) {
    return { kind: 'malformed' }
  }
  if (data[1] & 0x20) return { kind: 'malformed' }
  let strm = refStream
  if (strm === undefined) {
    strm = refStream = new pako.ZStream()
    pako.zlibInflateInit2(strm, 15)
  } else {
    pako.zlibInflateReset(strm)
  }
  const out = new Uint8Array(maxOutput + 1)
  strm.input = data
  strm.next_in = 0
  strm.avail_in = data.length
  strm.output = out
  strm.next_out = 0
  strm.avail_out = maxOutput + 1
  const status = pako.zlibInflate(strm, pako.Z_FINISH)
  const produced = strm.next_out
  const trailing = strm.avail_in
  if (status === pako.Z_STREAM_END) {
    if (trailing !== 0) return { kind: 'malformed' }
    if (produced > maxOutput) return { kind: 'too-large' }
    return { kind: 'ok', bytes: out.slice(0, produced) }
  }
  if (produced > maxOutput) return { kind: 'too-large' }
  return { kind: 'malformed' }
}

/** Runs `fn` and classifies its outcome; any other exception is rethrown. */
export function verdictOf(fn: () => Uint8Array): Verdict {
  try {
    return { kind: 'ok', bytes: fn() }
  } catch (err) {
    if (err instanceof TokenTooLarge) return { kind: 'too-large' }
    if (err instanceof TokenMalformed) return { kind: 'malformed' }
    throw err
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function sameVerdict(a: Verdict, b: Verdict): boolean {
  if (a.kind !== b.kind) return false
  return a.kind !== 'ok' || sameBytes(a.bytes, (b as { bytes: Uint8Array }).bytes)
}

export function describe(v: Verdict): string {
  return v.kind === 'ok' ? `ok(${v.bytes.length} bytes)` : v.kind
}

export const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

// ---------------------------------------------------------------------------------------------
// Payloads.

const encoder = new TextEncoder()
const WORDS = [
  'channel',
  'user',
  'room',
  '한국어',
  'ß',
  'éé',
  '中文',
  '🚀',
  'test',
  '_',
  '-',
  '0',
  'Ж',
]

class Writer {
  private parts: number[] = []
  u16(v: number): this {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff)
    return this
  }
  u32(v: number): this {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff)
    return this
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.parts.push(x)
    return this
  }
  string(s: Uint8Array): this {
    return this.u16(s.length).bytes(s)
  }
  build(): Uint8Array {
    return Uint8Array.from(this.parts)
  }
}

function hexId(rng: Rng): Uint8Array {
  const digits = rng.chance(0.5) ? '0123456789abcdef' : '0123456789abcdefABCDEF'
  let s = ''
  for (let i = 0; i < 32; i++) s += digits[rng.int(digits.length)]
  return encoder.encode(s)
}

function text(rng: Rng, maxWords: number): Uint8Array {
  let s = ''
  const n = rng.int(maxWords + 1)
  for (let i = 0; i < n; i++) s += rng.chance(0.3) ? String(rng.next()) : rng.pick(WORDS)
  return encoder.encode(s)
}

/** An AccessToken2-shaped payload: signature, app id, times, services with privilege maps. */
export function tokenLikePayload(rng: Rng): Uint8Array {
  const w = new Writer()
  w.string(rng.bytes(32))
  w.string(hexId(rng))
  const issueTs = rng.chance(0.8) ? 1_700_000_000 + rng.int(100_000_000) : rng.next()
  w.u32(issueTs)
    .u32(rng.pick([0, 3600, 86400, rng.next()]))
    .u32(rng.range(1, 99_999_999))
  const services = rng.range(1, rng.chance(0.8) ? 2 : 6)
  w.u16(services)
  for (let s = 0; s < services; s++) {
    w.u16(rng.range(1, 10))
    const privileges = rng.int(5)
    w.u16(privileges)
    const expire = rng.pick([0, 3600, issueTs + 3600, rng.next()])
    for (let p = 0; p < privileges; p++) w.u16(p + 1).u32(rng.chance(0.7) ? expire : rng.next())
    w.string(text(rng, 3))
    w.string(rng.chance(0.5) ? encoder.encode(String(rng.next())) : text(rng, 2))
  }
  if (rng.chance(0.1)) w.bytes(rng.bytes(rng.int(40)))
  return w.build()
}

/** Bytes from an alphabet of `alphabet` values, some repeated substrings. */
function lowEntropy(rng: Rng, n: number): Uint8Array {
  const alphabet = rng.pick([1, 2, 3, 4, 8, 16, 26, 64])
  const base = rng.int(256 - alphabet + 1)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = base + rng.int(alphabet)
  return out
}

function repeatedSubstrings(rng: Rng, n: number): Uint8Array {
  const out = rng.bytes(n)
  let i = Math.min(n, rng.range(1, 40))
  while (i < n) {
    const len = rng.chance(0.8) ? rng.range(3, 20) : rng.range(3, 300)
    if (rng.chance(0.6)) {
      // Copy from anywhere before, up to 32 KiB back (and sometimes farther, never reachable).
      const dist = rng.range(1, Math.min(i, rng.chance(0.9) ? 4096 : 40000))
      for (let k = 0; k < len && i < n; k++, i++) out[i] = out[i - dist]
    } else {
      i += rng.range(1, 12)
    }
  }
  return out
}

function utf8Text(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n)
  let i = 0
  while (i < n) {
    const word = encoder.encode(rng.chance(0.7) ? rng.pick(WORDS) + ' ' : String(rng.next()))
    for (let k = 0; k < word.length && i < n; k++) out[i++] = word[k]
  }
  return out
}

/** Repeated token-like records, e.g. privilege maps of many services. */
function repeatedRecords(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n)
  const record = tokenLikePayload(rng).subarray(0, rng.range(6, 60))
  for (let i = 0; i < n; i++)
    out[i] = record[i % record.length] ^ (rng.chance(0.05) ? rng.int(256) : 0)
  return out
}

export const PAYLOAD_KINDS = [
  'token',
  'random',
  'low-entropy',
  'repeats',
  'text',
  'records',
  'mixed',
  'zeros',
] as const

/** A payload of one of PAYLOAD_KINDS (random kind when not given), at most about `maxSize` bytes. */
export function randomPayload(
  rng: Rng,
  maxSize: number,
  kind = rng.pick(PAYLOAD_KINDS),
): Uint8Array {
  const n = rng.size(maxSize)
  switch (kind) {
    case 'token': {
      const t = tokenLikePayload(rng)
      return t.length <= maxSize ? t : t.subarray(0, maxSize)
    }
    case 'random':
      return rng.bytes(n)
    case 'low-entropy':
      return lowEntropy(rng, n)
    case 'repeats':
      return repeatedSubstrings(rng, n)
    case 'text':
      return utf8Text(rng, n)
    case 'records':
      return repeatedRecords(rng, n)
    case 'zeros':
      return new Uint8Array(n)
    case 'mixed': {
      const parts: Uint8Array[] = []
      let total = 0
      while (total < n) {
        const part = randomPayload(
          rng,
          Math.max(1, Math.min(n - total, 400)),
          rng.pick(PAYLOAD_KINDS.slice(0, 6)),
        )
        parts.push(part)
        total += part.length
        if (part.length === 0) break
      }
      const out = new Uint8Array(Math.min(total, n))
      let pos = 0
      for (const p of parts) {
        out.set(p.subarray(0, out.length - pos), pos)
        pos += Math.min(p.length, out.length - pos)
      }
      return out
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Streams for inflate.

const STRATEGIES = [
  pako.Z_DEFAULT_STRATEGY,
  pako.Z_FILTERED,
  pako.Z_HUFFMAN_ONLY,
  pako.Z_RLE,
  pako.Z_FIXED,
]
const FLUSHES = [
  pako.Z_NO_FLUSH,
  pako.Z_SYNC_FLUSH,
  pako.Z_FULL_FLUSH,
  pako.Z_PARTIAL_FLUSH,
  pako.Z_BLOCK,
]

/** A zlib stream of `data` from pako with random settings, sometimes pushed in flushed pieces. */
export function pakoVariantStream(rng: Rng, data: Uint8Array): Uint8Array {
  const options = {
    level: rng.range(0, 9),
    windowBits: rng.chance(0.7) ? 15 : rng.range(9, 15),
    memLevel: rng.chance(0.7) ? 8 : rng.range(1, 9),
    strategy: rng.pick(STRATEGIES),
    legacyHash: rng.chance(0.5),
  }
  if (rng.chance(0.6) || data.length === 0) return pako.deflate(data, options)
  const deflater = new pako.Deflate(options)
  let pos = 0
  while (pos < data.length) {
    const end = Math.min(data.length, pos + rng.range(1, Math.max(1, data.length >> 1)))
    deflater.push(data.subarray(pos, end), end === data.length ? true : rng.pick(FLUSHES))
    pos = end
  }
  return deflater.result
}

/** Packs bits LSB first, as deflate does. */
export class BitWriter {
  private bytes: number[] = []
  private acc = 0
  private n = 0

  bits(value: number, count: number): this {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n
      if (++this.n === 8) this.flushByte()
    }
    return this
  }

  /** A Huffman code: most significant bit first. */
  code(code: number, length: number): this {
    for (let i = length - 1; i >= 0; i--) this.bits((code >>> i) & 1, 1)
    return this
  }

  align(): this {
    if (this.n > 0) this.flushByte()
    return this
  }

  byte(b: number): this {
    return this.bits(b, 8)
  }

  finish(): Uint8Array {
    this.align()
    return Uint8Array.from(this.bytes)
  }

  private flushByte(): void {
    this.bytes.push(this.acc)
    this.acc = 0
    this.n = 0
  }
}

/** Canonical codes for `lens` (RFC 1951 §3.2.2); garbage if the lengths are over-subscribed. */
function canonicalCodes(lens: number[]): number[] {
  const count = new Array(16).fill(0)
  for (const l of lens) if (l) count[l]++
  const next = new Array(16).fill(0)
  let code = 0
  for (let bits = 1; bits <= 15; bits++) {
    code = (code + count[bits - 1]) << 1
    next[bits] = code
  }
  next[0] = 0
  return lens.map((l) => (l ? next[l]++ : 0))
}

/** Lengths of a random complete prefix code with `k` codes, none longer than `maxLen`. */
function completeLengths(rng: Rng, k: number, maxLen: number): number[] {
  const leaves = [0]
  while (leaves.length < k) {
    const candidates = leaves.map((d, i) => [d, i]).filter(([d]) => d < maxLen)
    const [, i] = rng.pick(candidates)
    leaves[i]++
    leaves.push(leaves[i])
  }
  return leaves
}

type CodeShape = 'complete' | 'incomplete' | 'oversubscribed' | 'single' | 'empty' | 'random'

/** Code lengths for `n` symbols with a given shape; `must` symbols get a code when possible. */
function codeLengths(rng: Rng, n: number, shape: CodeShape, must: number[], maxLen = 15): number[] {
  const lens = new Array(n).fill(0)
  if (shape === 'empty') return lens
  if (shape === 'random') return lens.map(() => (rng.chance(0.5) ? 0 : rng.range(0, maxLen)))
  if (shape === 'single') {
    lens[must.length ? must[0] : rng.int(n)] = 1
    return lens
  }
  const k = Math.min(
    n,
    Math.max(2, must.length, rng.chance(0.7) ? rng.range(2, 40) : rng.range(2, n)),
  )
  const depths = completeLengths(rng, k, maxLen)
  const symbols = new Set(must)
  while (symbols.size < k) symbols.add(rng.int(n))
  const order = [...symbols]
  order.forEach((s, i) => (lens[s] = depths[i]))
  if (shape === 'incomplete') {
    // Lengthen one code (or drop one): the Kraft sum falls below 1.
    const s = rng.pick(order)
    if (lens[s] < maxLen && rng.chance(0.5)) lens[s]++
    else if (!must.includes(s)) lens[s] = 0
    else lens[s] = Math.min(maxLen, lens[s] + 1)
  } else if (shape === 'oversubscribed') {
    const s = rng.pick(order)
    if (lens[s] > 1) lens[s]--
    else {
      const free = lens.findIndex((l, i) => l === 0 && i !== s)
      if (free >= 0) lens[free] = rng.range(1, maxLen)
    }
  }
  return lens
}

const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

/** Run-length codes for a sequence of code lengths, sometimes deliberately invalid. */
function runLengthCodes(rng: Rng, seq: number[]): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [] // [symbol, extra value, extra bits]
  if (rng.chance(0.03)) out.push([16, rng.int(4), 2]) // repeat with nothing before
  let i = 0
  while (i < seq.length) {
    const v = seq[i]
    let run = 1
    while (i + run < seq.length && seq[i + run] === v) run++
    if (v === 0 && run >= 3 && rng.chance(0.8)) {
      const r = Math.min(run, 138)
      if (r <= 10) out.push([17, r - 3, 3])
      else out.push([18, r - 11, 7])
      i += r
    } else if (run >= 4 && rng.chance(0.7)) {
      // A length, then code 16 repeating it (also a zero: zlib repeats whatever came before).
      out.push([v, 0, 0])
      const r = Math.min(run - 1, 6)
      out.push([16, r - 3, 2])
      i += 1 + r
    } else {
      out.push([v, 0, 0])
      i++
    }
  }
  if (rng.chance(0.03)) out.push([18, 127, 7]) // repeat past the end
  return out
}

/**
 * A random zlib stream built by hand: dynamic blocks with complete, incomplete, over-subscribed,
 * single-code, empty and missing-end-of-block code sets, bad repeats, fixed blocks with invalid
 * symbols and too-far distances, stored blocks with bad lengths, and good or bad Adler-32s.
 * Exercises the code-set rules random bit flips seldom reach.
 */
export function craftedStream(rng: Rng): Uint8Array {
  const w = new BitWriter()
  const blocks = rng.chance(0.7) ? 1 : rng.range(2, 4)
  let produced = 0
  for (let b = 0; b < blocks; b++) {
    const last = b === blocks - 1 ? 1 : 0
    const type = rng.chance(0.02) ? 3 : rng.pick([0, 1, 2, 2, 2, 2])
    w.bits(last, 1).bits(type, 2)
    if (type === 0) {
      w.align()
      const len = rng.int(rng.chance(0.9) ? 40 : 300)
      const nlen = rng.chance(0.95) ? ~len & 0xffff : rng.int(65536)
      w.bits(len, 16).bits(nlen, 16)
      for (let i = 0; i < len; i++) w.byte(rng.int(256))
      produced += len
    } else if (type === 1) {
      produced += writeSymbols(rng, w, fixedLitLens(), new Array(32).fill(5), produced, true)
    } else if (type === 2) {
      produced += writeDynamicBlock(rng, w, produced)
    }
  }
  const body = w.finish()
  const stream = new Uint8Array(body.length + 6)
  stream[0] = 0x78
  stream[1] = 0x9c
  stream.set(body, 2)
  // Append the right Adler-32 when the body inflates (most of the time), else random bytes.
  let check = rng.next()
  try {
    const raw = pako.inflateRaw(body)
    if (rng.chance(0.9)) check = adler32Reference(raw)
  } catch {
    // not decodable: keep the random check value
  }
  const end = stream.length - 4
  stream[end] = check >>> 24
  stream[end + 1] = (check >>> 16) & 0xff
  stream[end + 2] = (check >>> 8) & 0xff
  stream[end + 3] = check & 0xff
  if (rng.chance(0.05)) return stream.subarray(0, rng.int(stream.length))
  return stream
}

function fixedLitLens(): number[] {
  const lens = new Array(288).fill(8)
  for (let i = 144; i < 256; i++) lens[i] = 9
  for (let i = 256; i < 280; i++) lens[i] = 7
  return lens
}

function writeDynamicBlock(rng: Rng, w: BitWriter, produced: number): number {
  const shapes: CodeShape[] = [
    'complete',
    'complete',
    'complete',
    'incomplete',
    'oversubscribed',
    'single',
    'random',
  ]
  const litShape = rng.pick(shapes)
  const distShape = rng.pick([...shapes, 'empty', 'single'] as CodeShape[])
  let nlen = rng.chance(0.95) ? rng.range(257, 286) : rng.range(287, 288)
  let ndist = rng.chance(0.95) ? rng.range(1, 30) : rng.range(31, 32)
  const litMust = rng.chance(0.97) ? [256] : []
  const lit = codeLengths(rng, Math.max(nlen, 257), litShape, litMust).slice(0, nlen)
  const dist = codeLengths(rng, ndist, distShape, [])
  nlen = lit.length
  ndist = dist.length
  const codes = runLengthCodes(rng, [...lit, ...dist])

  // The code-length code, over the symbols used above.
  const used = new Set(codes.map(([s]) => s))
  const clShape: CodeShape = rng.chance(0.9)
    ? 'complete'
    : rng.pick(['incomplete', 'oversubscribed', 'empty', 'random'] as CodeShape[])
  let clLens: number[]
  if (clShape === 'complete') {
    const symbols = [...used]
    if (symbols.length < 2) symbols.push(symbols[0] === 0 ? 1 : 0)
    const depths = completeLengths(rng, symbols.length, 7)
    clLens = new Array(19).fill(0)
    symbols.forEach((s, i) => (clLens[s] = depths[i]))
  } else {
    clLens = codeLengths(rng, 19, clShape, [...used], 7)
  }
  let hclen = 19
  while (hclen > 4 && clLens[CL_ORDER[hclen - 1]] === 0) hclen--
  if (rng.chance(0.05)) hclen = rng.range(4, 19)

  w.bits(nlen - 257, 5)
    .bits(ndist - 1, 5)
    .bits(hclen - 4, 4)
  for (let i = 0; i < hclen; i++) w.bits(clLens[CL_ORDER[i]], 3)
  const clCodes = canonicalCodes(clLens)
  for (const [sym, value, bits] of codes) {
    if (clLens[sym]) w.code(clCodes[sym], clLens[sym])
    else w.bits(rng.next(), rng.range(1, 7)) // not encodable: garbage
    if (bits) w.bits(value, bits)
  }
  return writeSymbols(rng, w, lit, dist, produced, false)
}

/** Writes literals, matches and (usually) an end-of-block with the given code lengths. */
function writeSymbols(
  rng: Rng,
  w: BitWriter,
  lit: number[],
  dist: number[],
  produced: number,
  fixed: boolean,
): number {
  const litCodes = canonicalCodes(lit)
  const distCodes = canonicalCodes(dist)
  const litSymbols = lit
    .map((l, s) => (l ? s : -1))
    .filter((s) => s >= 0 && s !== 256 && (fixed ? rng.chance(0.995) || s < 286 : true))
  const distSymbols = dist.map((l, s) => (l ? s : -1)).filter((s) => s >= 0)
  let out = 0
  const count = rng.int(rng.chance(0.8) ? 60 : 400)
  for (let i = 0; i < count && litSymbols.length; i++) {
    const s = rng.pick(litSymbols)
    if (s > 256 && !fixed && distSymbols.length === 0 && rng.chance(0.9)) continue
    w.code(litCodes[s], lit[s])
    if (s < 256) {
      out++
      continue
    }
    const li = s - 257
    const lextra =
      li < 28
        ? [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5][li]
        : 0
    if (lextra) w.bits(rng.next(), lextra)
    out += 3 + li // roughly
    const d = distSymbols.length ? rng.pick(distSymbols) : rng.int(32)
    if (dist[d]) w.code(distCodes[d], dist[d])
    else w.bits(rng.next(), 5)
    const dextra = d < 30 ? Math.max(0, (d >> 1) - 1) : 0
    // Distances mostly within what has been produced, sometimes too far.
    if (dextra)
      w.bits(
        rng.chance(0.8) ? rng.int(Math.max(1, Math.min(1 << dextra, produced + out))) : rng.next(),
        dextra,
      )
  }
  if (rng.chance(0.97) && lit[256]) w.code(litCodes[256], lit[256])
  return out
}

/** Adler-32 written independently of the code under test (RFC 1950 §8.2, the slow way). */
export function adler32Reference(data: Uint8Array): number {
  let a = 1
  let b = 0
  for (const x of data) {
    a = (a + x) % 65521
    b = (b + a) % 65521
  }
  return ((b << 16) | a) >>> 0
}

/** Damages a stream the ways tokens get damaged: flips, edits, truncation, extra bytes. */
export function corruptStream(rng: Rng, stream: Uint8Array): Uint8Array {
  const z = stream.slice()
  switch (rng.int(9)) {
    case 0: {
      const flips = rng.range(1, 3)
      for (let i = 0; i < flips && z.length; i++) z[rng.int(z.length)] ^= 1 << rng.int(8)
      return z
    }
    case 1:
      if (z.length > 2) z[rng.range(2, z.length - 1)] = rng.int(256)
      return z
    case 2:
      return z.subarray(0, rng.int(z.length))
    case 3: {
      const extra = rng.bytes(rng.range(1, 4))
      const out = new Uint8Array(z.length + extra.length)
      out.set(z)
      out.set(extra, z.length)
      return out
    }
    case 4: {
      // Randomize the tail: the end of the data, the Adler-32, or both.
      for (let i = Math.max(2, z.length - rng.range(1, 8)); i < z.length; i++) z[i] = rng.int(256)
      return z
    }
    case 5: {
      // Delete or insert a byte in the middle.
      if (z.length < 3) return z
      const at = rng.range(2, z.length - 1)
      if (rng.chance(0.5)) return Uint8Array.from([...z.subarray(0, at), ...z.subarray(at + 1)])
      return Uint8Array.from([...z.subarray(0, at), rng.int(256), ...z.subarray(at)])
    }
    case 6:
      // Another header.
      if (z.length >= 2) {
        z[0] = rng.int(256)
        z[1] = rng.int(256)
      }
      return z
    case 7: {
      // Damage the first bytes of the deflate data: block types and code definitions.
      for (let i = 2; i < Math.min(z.length, 12); i++) if (rng.chance(0.3)) z[i] ^= 1 << rng.int(8)
      return z
    }
    default: {
      const flips = rng.range(4, 12)
      for (let i = 0; i < flips && z.length; i++) z[rng.int(z.length)] ^= 1 << rng.int(8)
      return z
    }
  }
}

/**
 * Our inflater refuses one thing zlib accepts: non-zero padding bits before a byte boundary
 * (they would make a second token text for the same signed token). A disagreement with pako is
 * explained by that alone when clearing set bits to which pako's verdict is indifferent (same
 * verdict, same output) brings our verdict to pako's. Bits are cleared greedily, first to last,
 * so that a stream with several padded boundaries is handled too.
 */
export function matchesReference(
  ours: Verdict,
  ref: Verdict,
  stream: Uint8Array,
  maxOutput: number,
  inflateOurs: (stream: Uint8Array) => Verdict,
): boolean {
  if (sameVerdict(ours, ref)) return true
  if (ours.kind !== 'malformed') return false
  const copy = stream.slice()
  for (let i = 2; i < copy.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      if (!(copy[i] & (1 << bit))) continue
      copy[i] ^= 1 << bit
      if (!sameVerdict(referenceInflate(copy, maxOutput), ref)) {
        copy[i] ^= 1 << bit // pako cares about this bit: not padding
        continue
      }
      if (sameVerdict(inflateOurs(copy), ref)) return true
    }
  }
  return false
}
