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
type Code = [counts: number[], symbols: number[]]

/** The order of the code-length code's lengths in a dynamic block header. */
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

/** Refuses a token whose zlib stream is broken, saying how. */
const corrupt = (reason: string) => new TokenMalformed(`token zlib stream is corrupt: ${reason}`)

/**
 * The code for `lengths`, or undefined when zlib refuses it: over-subscribed, or incomplete
 * unless `lenient` (literal/length and distance codes) and empty or a single code of length 1.
 */
function makeCode(lengths: number[], lenient?: boolean): Code | undefined {
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
  // Symbols sorted by length, then value: a pass per length is small, and fast enough (a token of
  // nothing but empty dynamic blocks, each building three codes, inflates in about 0.1 s).
  const symbols: number[] = []
  for (let length = 1; length < 16; length++)
    lengths.forEach((l, symbol) => {
      if (l === length) symbols.push(symbol)
    })
  return [counts, symbols]
}

let fixed: Code[] | undefined

/**
 * Inflates exactly one zlib stream (RFC 1950) that ends exactly at the end of `data`, into at
 * most `maxOutput` bytes.
 *
 * @throws TokenMalformed when the stream is not valid zlib, is truncated or has bytes after it
 * @throws TokenTooLarge when it inflates to more than `maxOutput` bytes
 */
export function inflate(data: Uint8Array, maxOutput: number): Uint8Array {
  const [cmf, flg] = data
  if (data.length < 2 || (cmf & 15) !== 8 || cmf >>> 4 > 7 || flg & 32 || ((cmf << 8) | flg) % 31)
    throw new TokenMalformed('token payload is not a zlib stream (or uses a dictionary)')
  const out: number[] = []
  const room = maxOutput + 1
  /** Position in bits; past the end of the data every bit reads as zero. */
  let at = 16
  const tooLarge = () => new TokenTooLarge(`token payload inflates to more than ${maxOutput} bytes`)
  const bits = (n: number) => {
    let value = 0
    for (let i = 0; i < n; i++, at++) value |= ((data[at >>> 3] >>> (at & 7)) & 1) << i
    return value
  }
  /** A symbol that needed bits past the end is not acted on: the stream is truncated. */
  const checkNotPastEnd = () => {
    if (at > data.length * 8) throw corrupt('truncated')
  }
  /** Skips to the next byte boundary; the bits skipped must be zero (unlike zlib, see above). */
  const align = () => {
    while (at & 7) if (bits(1)) throw corrupt('non-zero padding bits')
    // Both a stored block and the end of the stream have four bytes next.
    if (at / 8 + 4 > data.length) throw corrupt('truncated')
  }
  /**
   * A length (`group` 4, from 3) or distance (`group` 2, from 1) of RFC 1951 §3.2.5: the first
   * 2 * group symbols stand for themselves; after them, each group of symbols doubles the span
   * and adds an extra bit.
   */
  const span = (symbol: number, group: number, from: number) => {
    if (symbol < 2 * group) return symbol + from
    const extra = ((symbol / group) | 0) - 1
    return ((group | (symbol % group)) << extra) + from + bits(extra)
  }
  /** Reads one symbol a bit at a time: the codes of each length are consecutive numbers. */
  const decode = ([counts, symbols]: Code) => {
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
    // Not a code of this (incomplete) code: a number outside every alphabet.
    return 999
  }

  try {
    let last: number
    do {
      last = bits(1)
      const type = bits(2)
      let codes = fixed
      if (type === 0) {
        // A stored block: LEN and NLEN from the next byte boundary, then LEN bytes.
        align()
        const length = bits(16)
        if (length !== (~bits(16) & 0xffff)) throw corrupt('invalid block header')
        // What input there is gets copied as far as the room allows (as zlib does).
        const available = Math.min(length, data.length - at / 8)
        if (out.length + available > room) throw tooLarge()
        for (let i = 0; i < available; i++) out.push(bits(8))
        if (available < length) throw corrupt('truncated')
        continue
      }
      if (type === 3) throw corrupt('invalid block header')
      if (type === 2) {
        // A dynamic block (RFC 1951 §3.2.7): the code-length code, then the codes' lengths.
        const literals = bits(5) + 257
        const total = literals + bits(5) + 1
        const ncode = bits(4) + 4
        if (literals > 286 || total - literals > 30) throw corrupt('invalid block header')
        const clLengths = Array<number>(19).fill(0)
        for (let i = 0; i < ncode; i++) clLengths[ORDER[i]] = bits(3)
        const clCode = makeCode(clLengths)
        if (!clCode) throw corrupt('invalid block header')
        const lengths: number[] = []
        while (lengths.length < total) {
          const symbol = decode(clCode)
          if (symbol < 16) {
            lengths.push(symbol)
            continue
          }
          // 16 repeats the previous length (there must be one), 17 and 18 repeat zeros.
          const value = symbol > 16 ? 0 : lengths.at(-1)
          let repeat = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7)
          if (value === undefined || lengths.length + repeat > total)
            throw corrupt('invalid block header')
          while (repeat--) lengths.push(value)
        }
        if (!lengths[256]) throw corrupt('invalid block header')
        codes = [lengths.slice(0, literals), lengths.slice(literals)].map((l) =>
          makeCode(l, true),
        ) as Code[]
        if (!codes[0] || !codes[1]) throw corrupt('invalid block header')
        checkNotPastEnd()
      } else {
        // The fixed codes (RFC 1951 §3.2.6), with the invalid symbols 286, 287, 30 and 31.
        codes = fixed ??= [
          Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)),
          Array<number>(32).fill(5),
        ].map((l) => makeCode(l) as Code)
      }
      for (;;) {
        let symbol = decode((codes as Code[])[0])
        checkNotPastEnd()
        if (symbol < 256) {
          if (out.length >= room) throw tooLarge()
          out.push(symbol)
          continue
        }
        if (symbol === 256) break
        if (symbol > 285) throw corrupt('invalid code')
        // Lengths 3..258 and distances 1..32768 (RFC 1951 §3.2.5), from base and extra bits.
        const length = symbol > 284 ? 258 : span(symbol - 257, 4, 3)
        symbol = decode((codes as Code[])[1])
        if (symbol > 29) throw corrupt('invalid code')
        const distance = span(symbol, 2, 1)
        checkNotPastEnd()
        if (distance > out.length) throw corrupt('invalid code')
        if (out.length + length > room) throw tooLarge()
        for (let i = 0; i < length; i++) out.push(out[out.length - distance])
      }
    } while (!last)
    // RFC 1950: the Adler-32 of the output, big-endian, from the next byte boundary.
    align()
    let a = 1
    let b = 0
    for (const byte of out) {
      a = (a + byte) % 65521
      b = (b + a) % 65521
    }
    let check = 0
    for (let i = 0; i < 4; i++) check = (check << 8) | bits(8)
    if (check !== ((b << 16) | a)) throw corrupt('Adler-32 mismatch')
  } catch (error) {
    // Once the room is full, whatever goes wrong afterwards, the stream is too large.
    throw out.length > maxOutput && error instanceof TokenMalformed ? tooLarge() : error
  }
  if (at < data.length * 8)
    throw new TokenMalformed(`token has ${data.length - at / 8} bytes after its zlib stream`)
  if (out.length > maxOutput) throw tooLarge()
  return new Uint8Array(out)
}
