// AccessToken2 signing (docs/format.md, "Signing"), HMAC-SHA256 for the 006 format, and a
// constant-time byte comparison.
//
// Signing is the hashing floor of every build and verify, so HMAC is computed here on SHA-256
// words directly: the key blocks (key XOR ipad / opad) are compressed once per key, the 32-byte
// messages of the first two HMACs are single blocks assembled from words without byte buffers,
// and nothing is allocated per call. Per token that is 4 compressions for each of the two 4-byte
// keys and 3 + ceil((signingInfo + 9) / 64) for the signature. The first HMAC depends only on
// (certificate, issueTs), and every token a server builds within one second shares it, so its
// result is cached per certificate (see `k1For`).
import { asciiBytes } from './bytes.js'
import { nativeCrypto } from './native.js'
import { SHA256_IV, compress, finish, sha256, writeDigest } from './sha256.js'

/**
 * Signing info of at least this many bytes is hashed by the runtime's HMAC (node:crypto) where
 * there is one. Its fixed cost per call (a call into C++, a key, a Buffer: about 1.5 µs in Node
 * 20) is then below the pure compressions it saves (about 0.2 µs per 64 bytes); the two break
 * even near 600 bytes (measured: 3.8 µs each at 512 bytes, 5.4 pure vs 4.4 native at 1024).
 */
const NATIVE_HMAC_MIN_BYTES = 640
let nativeHmacMinBytes = NATIVE_HMAC_MIN_BYTES

const IPAD = 0x36363636
const OPAD = 0x5c5c5c5c
/** Word 8 of a block holding a 32-byte message: the 0x80 padding byte. */
const PAD_WORD = 0x80000000 | 0
/** Bit length of an HMAC second pass: one key block plus a 32-byte message. */
const KEY_BLOCK_PLUS_32_BITS = (64 + 32) * 8

// Scratch space shared by the functions below. Everything here is synchronous and nothing calls
// back out, so one set is enough and no call allocates.
const inner = new Int32Array(8)
const outer = new Int32Array(8)
const key = new Int32Array(16)
const message = new Int32Array(8)
// The key blocks (key XOR ipad, key XOR opad) keep their pad words between calls, so a key of n
// words rewrites only those n words (plus any left over from a longer previous key).
const ipadBlock = new Int32Array(16).fill(IPAD)
const opadBlock = new Int32Array(16).fill(OPAD)
let keyWordsInBlocks = 0
// Every 32-byte message hashed here follows one key block, so its padding and bit length (words
// 8..15) are the same every time; only the message words are rewritten.
const messageBlock = new Int32Array(16)
messageBlock[8] = PAD_WORD
messageBlock[15] = KEY_BLOCK_PLUS_32_BITS

/** Copies 8 words; a plain loop is several times cheaper than TypedArray#set at this size. */
function copy8(to: Int32Array, from: Readonly<Int32Array>): void {
  for (let i = 0; i < 8; i++) to[i] = from[i]
}

/**
 * Compresses the two key blocks: `inner` and `outer` become the SHA-256 states after
 * (key XOR ipad) and (key XOR opad). The key is `key[0..length)` words, zero-padded to 64 bytes.
 */
function startHmac(length: number): void {
  for (let i = 0; i < length; i++) {
    ipadBlock[i] = key[i] ^ IPAD
    opadBlock[i] = key[i] ^ OPAD
  }
  for (let i = length; i < keyWordsInBlocks; i++) {
    ipadBlock[i] = IPAD
    opadBlock[i] = OPAD
  }
  keyWordsInBlocks = length
  copy8(inner, SHA256_IV)
  compress(inner, ipadBlock)
  copy8(outer, SHA256_IV)
  compress(outer, opadBlock)
}

/** Compresses a 32-byte message (8 words) after a key block into `state`. */
function compressMessage32(state: Int32Array, words: Int32Array): void {
  copy8(messageBlock, words)
  compress(state, messageBlock)
}

/** The outer pass, once `inner` holds the inner digest: `outer` becomes the HMAC. */
function endHmac(): void {
  compressMessage32(outer, inner)
}

/** Sets the key to the 4 little-endian bytes of a uint32, the key of the first two HMACs. */
function setU32Key(value: number): void {
  key[0] =
    ((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)
}

/** HMAC over the 32-byte `message` words, with the key already started. Result in `outer`. */
function hmacMessage32(): void {
  compressMessage32(inner, message)
  endHmac()
}

/** What is kept per certificate: its ASCII text as words, and k1 for one issueTs. */
interface CertificateEntry {
  /** The certificate as the 8 words of a 32-byte message; null for another length. */
  readonly words: Int32Array | null
  /** The issueTs `k1` belongs to; -1 (no uint32) until a build stores one. */
  issueTs: number
  readonly k1: Int32Array
}

// k1 = HMAC(u32(issueTs), certificate) per certificate, for the last issueTs a build used with it.
// A hit needs the exact certificate text and the exact issueTs, so it can only return the value
// that computing it would; the bound keeps a server with many apps from growing it. Only builds
// store k1: verification reads it (a token checked in the second it was made hits), but tokens
// from other seconds must not evict the entry that the builds of this second share.
const certificates = new Map<string, CertificateEntry>()
const CERTIFICATE_CACHE_LIMIT = 256

function entryFor(certificate: string): CertificateEntry {
  const known = certificates.get(certificate)
  if (known !== undefined) return known
  let words: Int32Array | null = null
  if (certificate.length === 32) {
    // The usual certificate: 32 ASCII characters are one 32-byte message of 8 words.
    words = new Int32Array(8)
    for (let i = 0, c = 0; i < 8; i++, c += 4) {
      words[i] =
        ((certificate.charCodeAt(c) & 0xff) << 24) |
        ((certificate.charCodeAt(c + 1) & 0xff) << 16) |
        ((certificate.charCodeAt(c + 2) & 0xff) << 8) |
        (certificate.charCodeAt(c + 3) & 0xff)
    }
  }
  const entry: CertificateEntry = { words, issueTs: -1, k1: new Int32Array(8) }
  if (certificates.size >= CERTIFICATE_CACHE_LIMIT) certificates.clear()
  certificates.set(certificate, entry)
  return entry
}

/** Puts k1 for (certificate, issueTs) into `message` (the next HMAC's message). */
function k1For(certificate: string, issueTs: number, store: boolean): void {
  const entry = entryFor(certificate)
  if (entry.issueTs === issueTs) {
    copy8(message, entry.k1)
    return
  }
  setU32Key(issueTs)
  startHmac(1)
  if (entry.words !== null) {
    copy8(message, entry.words)
    hmacMessage32()
  } else {
    const bytes = asciiBytes(certificate)
    finish(inner, bytes, 0, bytes.length, 64)
    endHmac()
  }
  copy8(message, outer)
  if (store) {
    entry.issueTs = issueTs
    copy8(entry.k1, outer)
  }
}

/** Leaves the AccessToken2 signature of `signingInfo[infoStart..]` in `outer`. */
function sign007(
  certificate: string,
  issueTs: number,
  salt: number,
  signingInfo: Uint8Array,
  infoStart: number,
  building: boolean,
): void {
  k1For(certificate, issueTs, building)
  // signingKey = HMAC(u32(salt), k1)
  setU32Key(salt)
  startHmac(1)
  hmacMessage32()
  // signature = HMAC(signingKey, signingInfo)
  if (
    signingInfo.length - infoStart >= nativeHmacMinBytes &&
    nativeHmacInto(signingInfo, infoStart)
  )
    return
  copy8(key, outer)
  startHmac(8)
  finish(inner, signingInfo, infoStart, signingInfo.length, 64)
  endHmac()
}

const signingKeyBytes = new Uint8Array(32)

/**
 * With the signing key in `outer`, leaves HMAC(signingKey, signingInfo[infoStart..]) in `outer`
 * computed by the runtime's HMAC; false (nothing changed) where the runtime has none.
 */
function nativeHmacInto(signingInfo: Uint8Array, infoStart: number): boolean {
  const native = nativeCrypto()
  if (native === null) return false
  writeDigest(outer, signingKeyBytes, 0)
  const mac = native
    .createHmac('sha256', signingKeyBytes)
    .update(signingInfo.subarray(infoStart))
    .digest()
  for (let i = 0, o = 0; i < 8; i++, o += 4)
    outer[i] = (mac[o] << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3]
  return true
}

/**
 * Sets from how many bytes of signing info the runtime's HMAC is used (Infinity: never), and
 * returns the previous value. For tests that compare the pure and native paths, and benches.
 * @internal
 */
export function setNativeHmacMinBytes(bytes: number): number {
  const previous = nativeHmacMinBytes
  nativeHmacMinBytes = bytes
  return previous
}

/**
 * Writes the AccessToken2 signature of `signingInfo` to `out[offset..offset + 32)`:
 * HMAC(HMAC(u32(salt), HMAC(u32(issueTs), certificate)), signingInfo), where the certificate is
 * used as its ASCII text. With `infoStart`, the signing info is `signingInfo[infoStart..]` (a
 * token's payload signs everything after its signature field).
 */
export function signInto(
  certificate: string,
  issueTs: number,
  salt: number,
  signingInfo: Uint8Array,
  out: Uint8Array,
  offset: number,
  infoStart = 0,
): void {
  sign007(certificate, issueTs, salt, signingInfo, infoStart, true)
  writeDigest(outer, out, offset)
}

/**
 * Whether `signature` is the AccessToken2 signature of `signingInfo` for this certificate,
 * compared in time that does not depend on where the bytes differ.
 */
export function signatureMatches(
  certificate: string,
  issueTs: number,
  salt: number,
  signingInfo: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 32) return false
  sign007(certificate, issueTs, salt, signingInfo, 0, false)
  let diff = 0
  for (let i = 0, o = 0; i < 8; i++, o += 4) {
    const word =
      (signature[o] << 24) | (signature[o + 1] << 16) | (signature[o + 2] << 8) | signature[o + 3]
    diff |= outer[i] ^ word
  }
  return diff === 0
}

/** HMAC-SHA256 with an arbitrary key (used by the 006 format). */
export function hmacSha256(keyBytes: Uint8Array, data: Uint8Array): Uint8Array {
  // RFC 2104: a key longer than the block is replaced by its hash.
  const k = keyBytes.length > 64 ? sha256(keyBytes) : keyBytes
  key.fill(0)
  for (let i = 0; i < k.length; i++) key[i >> 2] |= k[i] << (24 - 8 * (i & 3))
  startHmac(16)
  finish(inner, data, 0, data.length, 64)
  endHmac()
  const out = new Uint8Array(32)
  writeDigest(outer, out, 0)
  return out
}
