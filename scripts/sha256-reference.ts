// The SHA-256 compression function (FIPS 180-4, 6.2.2) as the standard writes it: a message
// schedule of 64 words, then 64 rounds driven by the table of round constants. This is the
// readable reference: scripts/generate-sha256.mjs derives src/lib/sha256-compress.ts (the
// unrolled form the library runs) from it, and the tests check one against the other.

/** The round constants K (FIPS 180-4, 4.2.2): the fractional parts of the cube roots of the first 64 primes. */
export const K = Int32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
)

/** σ0 and σ1 of the message schedule, Σ0 and Σ1 of the rounds (FIPS 180-4, 4.1.2). */
export const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n))
export const smallSigma0 = (x: number): number => rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)
export const smallSigma1 = (x: number): number => rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10)
export const bigSigma0 = (x: number): number => rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)
export const bigSigma1 = (x: number): number => rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25)
/** Ch picks f or g by the bits of e; Maj is the bitwise majority. */
export const choose = (e: number, f: number, g: number): number => (e & f) ^ (~e & g)
export const majority = (a: number, b: number, c: number): number => (a & b) ^ (a & c) ^ (b & c)

const schedule = new Int32Array(64)

/**
 * Compresses one 64-byte block, given as 16 big-endian words in `block[0..15]`, into the 8-word
 * `state` (same contract as the library's compress).
 */
export function compressReference(state: Int32Array, block: Int32Array): void {
  const w = schedule
  for (let t = 0; t < 16; t++) w[t] = block[t]
  for (let t = 16; t < 64; t++) {
    w[t] = (smallSigma1(w[t - 2]) + w[t - 7] + smallSigma0(w[t - 15]) + w[t - 16]) | 0
  }
  let a = state[0]
  let b = state[1]
  let c = state[2]
  let d = state[3]
  let e = state[4]
  let f = state[5]
  let g = state[6]
  let h = state[7]
  for (let t = 0; t < 64; t++) {
    const t1 = (h + bigSigma1(e) + choose(e, f, g) + K[t] + w[t]) | 0
    const t2 = (bigSigma0(a) + majority(a, b, c)) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  state[0] = (state[0] + a) | 0
  state[1] = (state[1] + b) | 0
  state[2] = (state[2] + c) | 0
  state[3] = (state[3] + d) | 0
  state[4] = (state[4] + e) | 0
  state[5] = (state[5] + f) | 0
  state[6] = (state[6] + g) | 0
  state[7] = (state[7] + h) | 0
}
