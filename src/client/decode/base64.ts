// Canonical standard base64 with padding (RFC 4648 §4), as the library's decoder accepts it
// (src/lib/base64.ts): one text per byte string.
import { TokenMalformed } from '../../index.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * The bytes of `text` from `start` on.
 * @throws TokenMalformed when they are not canonical base64 (length, character, padding, or
 *   non-zero bits in the last character)
 */
export function readBase64(text: string, start: number): Uint8Array {
  const body = text.slice(start)
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0
  const out: number[] = []
  let bits = 0
  let i = 0
  for (; i < body.length - padding; i++) {
    const value = ALPHABET.indexOf(body[i])
    if (value < 0) break
    bits = (bits << 6) | value
    // Characters 2, 3 and 4 of a group each complete a byte.
    if (i & 3) out.push((bits >>> (6 - 2 * (i & 3))) & 255)
  }
  if (body.length & 3 || i < body.length - padding || bits & ((1 << (2 * padding)) - 1))
    throw new TokenMalformed('token body is not canonical base64')
  return new Uint8Array(out)
}
