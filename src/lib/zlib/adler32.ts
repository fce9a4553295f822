// Adler-32, the checksum that ends a zlib stream (RFC 1950 §8.2).

/** The largest prime below 2^16: both sums are kept modulo it. */
const ADLER_MODULUS = 65521
/**
 * zlib's NMAX: the most bytes that can be summed before reducing while the second sum stays below
 * 2^32 (255 * n * (n + 1) / 2 + (n + 1) * (ADLER_MODULUS - 1) < 2^32).
 */
const ADLER_NMAX = 5552

/** Adler-32 of `data[start, end)`, as an unsigned 32-bit number. */
export function adler32(data: Uint8Array, start = 0, end = data.length): number {
  let a = 1
  let b = 0
  let i = start
  while (i < end) {
    const chunkEnd = Math.min(i + ADLER_NMAX, end)
    for (; i < chunkEnd; i++) {
      a += data[i]
      b += a
    }
    a %= ADLER_MODULUS
    b %= ADLER_MODULUS
  }
  return (b * 65536 + a) >>> 0
}
