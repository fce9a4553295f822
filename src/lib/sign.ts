// AccessToken2 signing (FORMAT.md, "Signing") and the constant-time comparison noble does not ship.
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'

function u32le(value: number): Uint8Array {
  return new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff])
}

/** ASCII bytes of a certificate (the references use the hex text itself, not its decoded bytes). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i)
  return out
}

/** signingKey = HMAC(u32(salt), HMAC(u32(issueTs), certificate)). */
export function deriveSigningKey(certificate: Uint8Array, issueTs: number, salt: number): Uint8Array {
  const k1 = hmac(sha256, u32le(issueTs), certificate)
  return hmac(sha256, u32le(salt), k1)
}

/** HMAC-SHA256(signingKey, signingInfo). */
export function signInfo(signingKey: Uint8Array, signingInfo: Uint8Array): Uint8Array {
  return hmac(sha256, signingKey, signingInfo)
}

/** HMAC-SHA256 with an arbitrary key (used by the 006 format). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha256, key, message)
}

/**
 * Compares two byte strings in time that depends only on their lengths, not their contents.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i]
  return diff === 0
}
