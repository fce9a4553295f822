// Standard base64 (RFC 4648 §4) with padding. The decoder accepts only the canonical encoding:
// one string decodes to one byte sequence and back (docs/format.md, "What the verifier accepts").
import { allocateBytes } from './bytes.js'
import { encodeBase64Natively } from './native.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const ENCODE = new Uint8Array(64)
const DECODE = new Int16Array(128).fill(-1)
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i)
  DECODE[ALPHABET.charCodeAt(i)] = i
}
const PAD = 0x3d // '='

const asciiDecoder = new TextDecoder()
const asciiEncoder = new TextEncoder()
// Where decodeBase64 puts the characters of a token as bytes, and encodeBase64 the characters it
// makes (both reused; everything here is synchronous).
const scratch = new Uint8Array(4096)
let encodeBuffer = new Uint8Array(256)

/** Encodes bytes as standard, padded base64: by the runtime's encoder where there is one. */
export function encodeBase64(bytes: Uint8Array): string {
  return encodeBase64Natively(bytes) ?? encodeBase64Pure(bytes)
}

/** {@link encodeBase64} in JavaScript, for runtimes without node:buffer (and for tests). */
export function encodeBase64Pure(bytes: Uint8Array): string {
  const n = bytes.length
  const size = Math.ceil(n / 3) * 4
  // The characters go through a reused buffer: they only live until decode() copies them into
  // the string, and a fresh Uint8Array above 64 bytes is a separate allocation V8 makes slowly.
  if (encodeBuffer.length < size)
    encodeBuffer = new Uint8Array(Math.max(size, 2 * encodeBuffer.length))
  const out = encodeBuffer
  let o = 0
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    out[o++] = ENCODE[v >>> 18]
    out[o++] = ENCODE[(v >>> 12) & 63]
    out[o++] = ENCODE[(v >>> 6) & 63]
    out[o++] = ENCODE[v & 63]
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0)
    out[o++] = ENCODE[v >>> 18]
    out[o++] = ENCODE[(v >>> 12) & 63]
    out[o++] = i + 1 < n ? ENCODE[(v >>> 6) & 63] : PAD
    out[o++] = PAD
  }
  // The output is ASCII, which UTF-8 decodes unchanged; the platform decoder builds the string
  // natively, without a JavaScript loop over long tokens.
  return asciiDecoder.decode(out.subarray(0, size))
}

/** Why a string is not canonical base64; `undefined` means it is. */
export type Base64Problem = string

/**
 * Decodes canonical standard base64 starting at `start` of `text`. Returns the bytes, or a string
 * saying why the text is not canonical base64 (wrong length, a character outside the alphabet,
 * misplaced padding, or non-zero bits in the last character). Short results share a buffer with
 * other arrays (see {@link allocateBytes}).
 */
export function decodeBase64(text: string, start = 0): Uint8Array | Base64Problem {
  return decode(text, start, false)
}

/**
 * {@link decodeBase64}, with the bytes in a buffer that the next call of either decoder reuses:
 * for bytes that are read at once and not kept (a token's zlib stream, which is inflated
 * straight away). Saves allocating the result.
 */
export function decodeBase64Transient(text: string, start = 0): Uint8Array | Base64Problem {
  return decode(text, start, true)
}

function decode(text: string, start: number, transient: boolean): Uint8Array | Base64Problem {
  const n = text.length
  const len = n - start
  if (len === 0) return new Uint8Array(0)
  if (len % 4 !== 0) return `its length (${len}) is not a multiple of 4`
  // The characters as bytes in one native call, which reading them one by one with charCodeAt
  // cannot match. Each ASCII character is one byte, so any other character shows as more bytes
  // written than characters (or, when the buffer fills, fewer characters read); the slow scan
  // then names it.
  const ascii = n <= scratch.length ? scratch : new Uint8Array(n)
  const { read, written } = asciiEncoder.encodeInto(text, ascii)
  if (read !== n || written !== n) return badChar(text, start)
  let pad = 0
  if (ascii[n - 1] === PAD) pad = ascii[n - 2] === PAD ? 2 : 1
  const size = (len / 4) * 3 - pad
  // A transient result is written over the characters: the 3 bytes of each group of 4 land
  // before the group's first character, so no character is overwritten before it is read.
  const out = transient ? ascii : allocateBytes(size)
  const fullEnd = n - (pad ? 4 : 0)
  let o = 0
  for (let i = start; i < fullEnd; i += 4) {
    // A character outside the alphabet decodes to -1, which makes the whole group negative.
    const v =
      (DECODE[ascii[i]] << 18) |
      (DECODE[ascii[i + 1]] << 12) |
      (DECODE[ascii[i + 2]] << 6) |
      DECODE[ascii[i + 3]]
    if (v < 0) return badChar(text, i)
    out[o++] = v >>> 16
    out[o++] = (v >>> 8) & 0xff
    out[o++] = v & 0xff
  }
  if (pad) {
    const i = fullEnd
    const a = DECODE[ascii[i]]
    const b = DECODE[ascii[i + 1]]
    const c = pad === 1 ? DECODE[ascii[i + 2]] : 0
    if (a < 0 || b < 0 || c < 0) return badChar(text, i)
    if (pad === 2) {
      if (b & 0x0f) return 'it is not canonical (non-zero bits in the last character)'
      out[o++] = (a << 2) | (b >>> 4)
    } else {
      if (c & 0x03) return 'it is not canonical (non-zero bits in the last character)'
      out[o++] = (a << 2) | (b >>> 4)
      out[o++] = ((b & 0x0f) << 4) | (c >>> 2)
    }
  }
  return transient ? out.subarray(0, size) : out
}

function badChar(text: string, from: number): string {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 128 || DECODE[c] < 0) {
      const shown =
        c === PAD
          ? "'=' padding"
          : c < 0x20 || c > 0x7e
            ? `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`
            : `character '${text[i]}'`
      return `it has a ${shown} where no such character may stand (offset ${i})`
    }
  }
  return 'it has an invalid character'
}
