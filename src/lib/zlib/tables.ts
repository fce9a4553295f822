// The fixed tables, alphabet sizes and bit order of the deflate format (RFC 1951 §3.1.1,
// §3.2.5, §3.2.7), shared by the deflater and the inflater.

/** RFC 1951 §3.2.5: matches are 3..258 bytes long. */
export const MIN_MATCH = 3
/** See {@link MIN_MATCH}. */
export const MAX_MATCH = 258
/** Literal/length symbols 0..255 are literals, 256 ends a block, 257..285 are length codes. */
export const LITERALS = 256
/** The end-of-block symbol. */
export const END_BLOCK = 256
/** Length codes 257..285. */
export const LENGTH_CODES = 29
/** Literal/length alphabet size used by dynamic trees: 256 literals, end of block, 29 lengths. */
export const L_CODES = LITERALS + 1 + LENGTH_CODES
/** Distance codes 0..29 (30 and 31 exist only in the fixed code). */
export const D_CODES = 30
/** Code-length alphabet of a dynamic block header: lengths 0..15 and the repeat codes 16..18. */
export const BL_CODES = 19
/** The longest Huffman code of the literal/length and distance alphabets. */
export const MAX_BITS = 15

/** Base match length of each length code (257..285). */
export const LENGTH_BASE = Uint16Array.of(
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
)
/** Extra bits of each length code. */
export const LENGTH_EXTRA = Uint8Array.of(
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  1,
  1,
  1,
  2,
  2,
  2,
  2,
  3,
  3,
  3,
  3,
  4,
  4,
  4,
  4,
  5,
  5,
  5,
  5,
  0,
)
/** Base distance of each distance code (0..29). */
export const DIST_BASE = Uint16Array.of(
  1,
  2,
  3,
  4,
  5,
  7,
  9,
  13,
  17,
  25,
  33,
  49,
  65,
  97,
  129,
  193,
  257,
  385,
  513,
  769,
  1025,
  1537,
  2049,
  3073,
  4097,
  6145,
  8193,
  12289,
  16385,
  24577,
)
/** Extra bits of each distance code. */
export const DIST_EXTRA = Uint8Array.of(
  0,
  0,
  0,
  0,
  1,
  1,
  2,
  2,
  3,
  3,
  4,
  4,
  5,
  5,
  6,
  6,
  7,
  7,
  8,
  8,
  9,
  9,
  10,
  10,
  11,
  11,
  12,
  12,
  13,
  13,
)
/** The order in which a dynamic block lists its code-length code lengths. */
export const CODE_LENGTH_ORDER = Uint8Array.of(
  16,
  17,
  18,
  0,
  8,
  7,
  9,
  6,
  10,
  5,
  11,
  4,
  12,
  3,
  13,
  2,
  14,
  1,
  15,
)

/** REVERSED_BYTE[b] is b with its 8 bits in the opposite order. */
const REVERSED_BYTE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(256)
  for (let b = 0; b < 256; b++) {
    let r = 0
    for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i)
    table[b] = r
  }
  return table
})()

/**
 * Reverses the low `length` (≤ 16) bits of `code`: Huffman codes are defined most significant
 * bit first but packed into bytes starting from the least significant bit (RFC 1951 §3.1.1).
 */
export function reverseBits(code: number, length: number): number {
  return ((REVERSED_BYTE[code & 0xff] << 8) | REVERSED_BYTE[(code >>> 8) & 0xff]) >>> (16 - length)
}

/** Length code (0..28) of a match length minus 3. */
export const LENGTH_CODE = new Uint8Array(256)
/**
 * Distance code of (distance - 1): entries 0..255 are indexed directly, entries 256..511 by
 * 256 + ((distance - 1) >> 7), which works because every code from 16 on spans a multiple of 128.
 */
const DIST_CODE = new Uint8Array(512)

for (let code = 0; code < LENGTH_CODES; code++) {
  const first = LENGTH_BASE[code] - MIN_MATCH
  const end = code + 1 < LENGTH_CODES ? LENGTH_BASE[code + 1] - MIN_MATCH : 256
  // Length 258 has its own code (285) although code 284's extra bits could also express it.
  LENGTH_CODE.fill(code, first, Math.min(end, 255))
}
LENGTH_CODE[255] = LENGTH_CODES - 1
for (let code = 0; code < D_CODES; code++) {
  const first = DIST_BASE[code] - 1
  const last = first + (1 << DIST_EXTRA[code]) - 1
  if (first < 256) DIST_CODE.fill(code, first, last + 1)
  else DIST_CODE.fill(code, 256 + (first >> 7), 256 + (last >> 7) + 1)
}

/** The distance code (0..29) of a match distance, given as distance - 1. */
export function distanceCode(distMinus1: number): number {
  return distMinus1 < 256 ? DIST_CODE[distMinus1] : DIST_CODE[256 + (distMinus1 >> 7)]
}
