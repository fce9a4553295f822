// SHA-256 (FIPS 180-4), reduced to what token signing needs: the compression function over
// 16 big-endian words (sha256-compress.ts, generated from the table-driven reference in
// scripts/sha256-reference.ts) and the final padding. No branch or index depends on the data, so
// the running time depends only on the message length.
import { compress } from './sha256-compress.js'

/** The compression function: see sha256-compress.ts. */
export { compress }

/** The initial hash value (FIPS 180-4, 5.3.3). Read-only: copy it into a state to start a hash. */
export const SHA256_IV: Readonly<Int32Array> = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
])

const scratch = new Int32Array(16)

/**
 * Absorbs `bytes[from..to)` as the end of a message whose first `prefixLength` bytes (a multiple
 * of 64) are already compressed into `state`, then pads: `state` becomes the digest.
 */
export function finish(
  state: Int32Array,
  bytes: Uint8Array,
  from: number,
  to: number,
  prefixLength: number,
): void {
  const block = scratch
  let p = from
  for (; p + 64 <= to; p += 64) {
    for (let i = 0, q = p; i < 16; i++, q += 4) {
      block[i] = (bytes[q] << 24) | (bytes[q + 1] << 16) | (bytes[q + 2] << 8) | bytes[q + 3]
    }
    compress(state, block)
  }
  // The last 0..63 bytes: whole words, then the partial word with the 0x80 end marker.
  const rest = to - p
  const whole = rest >> 2
  for (let i = 0, q = p; i < whole; i++, q += 4) {
    block[i] = (bytes[q] << 24) | (bytes[q + 1] << 16) | (bytes[q + 2] << 8) | bytes[q + 3]
  }
  let last = 0x80 << (24 - 8 * (rest & 3))
  for (let i = whole * 4; i < rest; i++) last |= bytes[p + i] << (24 - 8 * (i & 3))
  block[whole] = last
  for (let i = whole + 1; i < 16; i++) block[i] = 0
  // The 64-bit bit length needs the last 8 bytes of a block; 56 or more bytes leave no room.
  if (rest >= 56) {
    compress(state, block)
    for (let i = 0; i < 14; i++) block[i] = 0
  }
  const bits = (prefixLength + to - from) * 8
  block[14] = Math.floor(bits / 0x1_0000_0000)
  block[15] = bits | 0
  compress(state, block)
}

/** Writes the 8 state words big-endian to `out[offset..offset + 32)`. */
export function writeDigest(state: Int32Array, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 8; i++) {
    const v = state[i]
    const o = offset + 4 * i
    out[o] = v >>> 24
    out[o + 1] = v >>> 16
    out[o + 2] = v >>> 8
    out[o + 3] = v
  }
}

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  const state = SHA256_IV.slice()
  finish(state, bytes, 0, bytes.length, 0)
  const out = new Uint8Array(32)
  writeDigest(state, out, 0)
  return out
}
