// A small zlib inflater for the token keeper, written for size rather than speed: a token is
// decoded once per renewal. Huffman codes are decoded a bit at a time from their code-length
// counts (RFC 1951 §3.2.2), with no lookup tables.
//
// It accepts exactly what the library's inflater (src/lib/zlib/inflate.ts, whose header lists
// zlib's rules) accepts, and refuses as it does, Malformed or TooLarge:
//   - the output has maxOutput + 1 bytes of room; output past it is "too large" at once, and
//     any later failure of a stream that filled it is too;
//   - a stream that ends inside the room is refused for bytes after it first, then for its size;
//   - padding bits before a byte boundary must be zero;
//   - a code is complete, except that a literal/length or distance code may be a single code of
//     length 1, and a distance code may be empty (decoding an unused code is an error);
//   - a symbol that needs bits past the end of the input is "truncated".
import { TokenMalformed, TokenTooLarge } from '../../index.js'

/** A canonical Huffman code: how many codes have each length, and the symbols in code order. */
interface Code {
  counts: number[]
  symbols: number[]
}

/** The order of the code-length code's lengths in a dynamic block header. */
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
/** What `decode` returns for a bit string that is not a code (outside every alphabet). */
const INVALID = 999

let input: Uint8Array = new Uint8Array(0)
/** Position in bits; it may run past the end, where every bit reads as zero. */
let at = 0
let fixed: [Code, Code] | undefined

/** Refuses a token whose zlib stream is broken. */
export function corrupt(reason: string): TokenMalformed {
  return new TokenMalformed(`token zlib stream is corrupt (${reason})`)
}

const truncated = () => corrupt('truncated')

function bits(n: number): number {
  let value = 0
  for (let i = 0; i < n; i++, at++) value |= ((input[at >>> 3] >>> (at & 7)) & 1) << i
  return value
}

function checkNotPastEnd(): void {
  if (at > input.length * 8) throw truncated()
}

/** Skips to the next byte boundary; the bits skipped must be zero (unlike zlib, see header). */
function align(): number {
  while (at & 7) if (bits(1)) throw corrupt('non-zero padding bits')
  return at >>> 3
}

/**
 * The code for `lengths`, or undefined when zlib refuses it: over-subscribed, or incomplete
 * unless `lenient` (literal/length and distance codes) and empty or a single code of length 1.
 */
function makeCode(lengths: number[], lenient: boolean): Code | undefined {
  const counts = Array<number>(16).fill(0)
  for (const length of lengths) counts[length]++
  let left = 1
  let longest = 0
  for (let length = 1; length < 16; length++) {
    left = 2 * left - counts[length]
    if (left < 0) return undefined
    if (counts[length]) longest = length
  }
  if (left && !(lenient && longest < 2)) return undefined
  const symbols: number[] = []
  for (let length = 1; length < 16; length++)
    lengths.forEach((l, symbol) => {
      if (l === length) symbols.push(symbol)
    })
  return { counts, symbols }
}

/** Reads one symbol, a bit at a time: codes of each length are consecutive numbers. */
function decode({ counts, symbols }: Code): number {
  let code = 0
  let first = 0
  let index = 0
  for (let length = 1; length < 16; length++) {
    code |= bits(1)
    const count = counts[length]
    if (code < first + count) return symbols[index + code - first]
    index += count
    first = (first + count) << 1
    code <<= 1
  }
  return INVALID
}

/** The literal/length and distance codes of a dynamic block (RFC 1951 §3.2.7). */
function dynamicCodes(): [Code, Code] {
  const literals = bits(5) + 257
  const total = literals + bits(5) + 1
  const ncode = bits(4) + 4
  if (literals > 286 || total - literals > 30) throw corrupt('too many length or distance codes')
  const clLengths = Array<number>(19).fill(0)
  for (let i = 0; i < ncode; i++) clLengths[ORDER[i]] = bits(3)
  const clCode = makeCode(clLengths, false)
  if (!clCode) throw corrupt('invalid code lengths set')
  const lengths: number[] = []
  while (lengths.length < total) {
    const symbol = decode(clCode)
    if (symbol < 16) {
      lengths.push(symbol)
      continue
    }
    if (symbol === 16 && !lengths.length) throw corrupt('invalid bit length repeat')
    const value = symbol === 16 ? lengths[lengths.length - 1] : 0
    let repeat = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7)
    if (lengths.length + repeat > total) throw corrupt('invalid bit length repeat')
    while (repeat--) lengths.push(value)
  }
  if (!lengths[256]) throw corrupt('missing end-of-block code')
  const literalCode = makeCode(lengths.slice(0, literals), true)
  const distanceCode = makeCode(lengths.slice(literals), true)
  if (!literalCode || !distanceCode) throw corrupt('invalid literal/length or distance code')
  checkNotPastEnd()
  return [literalCode, distanceCode]
}

/**
 * Inflates exactly one zlib stream (RFC 1950) that ends exactly at the end of `data`, into at
 * most `maxOutput` bytes.
 *
 * @throws TokenMalformed when the stream is not valid zlib, is truncated or has bytes after it
 * @throws TokenTooLarge when it inflates to more than `maxOutput` bytes
 */
export function inflate(data: Uint8Array, maxOutput: number): Uint8Array {
  const tooLarge = () => new TokenTooLarge(`token payload inflates to more than ${maxOutput} bytes`)
  const [cmf, flg] = data
  if (data.length < 2 || (cmf & 15) !== 8 || ((cmf << 8) | flg) % 31)
    throw new TokenMalformed('token payload is not a zlib stream')
  if (cmf >>> 4 > 7 || flg & 32) throw corrupt('unsupported window size or preset dictionary')
  input = data
  at = 16
  const out: number[] = []
  const room = maxOutput + 1
  let end: number
  try {
    let last: number
    do {
      last = bits(1)
      const type = bits(2)
      if (type === 0) {
        let p = align()
        if (p + 4 > data.length) throw truncated()
        const length = data[p] | (data[p + 1] << 8)
        if (length !== (~(data[p + 2] | (data[p + 3] << 8)) & 0xffff))
          throw corrupt('invalid stored block lengths')
        p += 4
        // What input there is gets copied as far as the room allows (as zlib does).
        const available = Math.min(length, data.length - p)
        if (out.length + available > room) throw tooLarge()
        for (let i = 0; i < available; i++) out.push(data[p++])
        at = p * 8
        if (available < length) throw truncated()
        continue
      }
      if (type === 3) throw corrupt('invalid block type')
      if (type === 1) {
        fixed ??= [
          makeCode(
            Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)),
            true,
          ) as Code,
          makeCode(Array<number>(32).fill(5), true) as Code,
        ]
      }
      const [literalCode, distanceCode] = type === 1 ? (fixed as [Code, Code]) : dynamicCodes()
      for (;;) {
        let symbol = decode(literalCode)
        checkNotPastEnd()
        if (symbol < 256) {
          if (out.length >= room) throw tooLarge()
          out.push(symbol)
          continue
        }
        if (symbol === 256) break
        if (symbol > 285) throw corrupt('invalid literal/length code')
        // Lengths 3..258 and distances 1..32768 (RFC 1951 §3.2.5), from base and extra bits.
        symbol -= 257
        let extra = symbol < 8 || symbol > 27 ? 0 : (symbol >>> 2) - 1
        const length =
          (symbol < 8 ? symbol + 3 : symbol > 27 ? 258 : ((4 | (symbol & 3)) << extra) + 3) +
          bits(extra)
        symbol = decode(distanceCode)
        if (symbol > 29) throw corrupt('invalid distance code')
        extra = symbol < 4 ? 0 : (symbol >>> 1) - 1
        const distance = (symbol < 4 ? symbol + 1 : ((2 | (symbol & 1)) << extra) + 1) + bits(extra)
        checkNotPastEnd()
        if (distance > out.length) throw corrupt('invalid distance too far back')
        if (out.length + length > room) throw tooLarge()
        for (let i = 0; i < length; i++) out.push(out[out.length - distance])
      }
    } while (!last)
    // RFC 1950: the Adler-32 of the output, big-endian, from the next byte boundary.
    end = align()
    if (end + 4 > data.length) throw truncated()
    let a = 1
    let b = 0
    for (const byte of out) {
      a = (a + byte) % 65521
      b = (b + a) % 65521
    }
    if (
      ((data[end] << 24) | (data[end + 1] << 16) | (data[end + 2] << 8) | data[end + 3]) >>> 0 !==
      ((b << 16) | a) >>> 0
    )
      throw corrupt('incorrect data check')
  } catch (error) {
    // Once the room is full, whatever goes wrong afterwards, the stream is too large.
    throw out.length > maxOutput && error instanceof TokenMalformed ? tooLarge() : error
  } finally {
    input = new Uint8Array(0)
  }
  if (end + 4 < data.length)
    throw new TokenMalformed(`token has ${data.length - end - 4} bytes after its zlib stream`)
  if (out.length > maxOutput) throw tooLarge()
  return new Uint8Array(out)
}
