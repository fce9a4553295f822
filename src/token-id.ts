/**
 * `tokenId`: a short, stable name for one token, derived from its signature.
 *
 * @module
 */
import { decodeToken } from './decode.js'
import { InvalidArgument } from './errors.js'
import { sha256 } from './lib/sha256.js'
import type { DecodedToken } from './types.js'

// Domain separation: the id is a hash of this label, the version and the signature, so it can
// never be mistaken for (or turned back into) the signature itself.
const LABEL = 'token007/id\u0000'
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Bytes of the hash kept: 128 bits, 22 base64url characters. */
const ID_BYTES = 16

/** What a token id looks like: 22 base64url characters. */
export const TOKEN_ID_PATTERN: RegExp = /^[A-Za-z0-9_-]{22}$/

/**
 * A stable id for a token: 22 base64url characters taken from a SHA-256 of its version and
 * signature. The signature covers everything the token says, so every encoding of one token (the
 * same payload compressed differently) has the same id, and two different tokens share one only
 * through a 128-bit hash collision. The id reveals nothing that would rebuild the token, so
 * it can be logged and used in URLs.
 *
 * The token is decoded (structure only, no signature check): a malformed token throws.
 *
 * @example
 * ```ts
 * const id = tokenId(token) // e.g. 'q3V0c2lkZS10aGUtYm94IQ'
 * await registry.revoke(id, 'leaked in a support ticket')
 * ```
 * @throws {TokenError} `ERR_TOKEN_VERSION`, `ERR_TOKEN_MALFORMED`, `ERR_TOKEN_TOO_LARGE`, or
 *   `ERR_INVALID_ARGUMENT` when `token` is not a string
 */
export function tokenId(token: string | DecodedToken): string {
  const decoded = typeof token === 'string' ? decodeToken(token) : token
  const signature = (decoded as Partial<DecodedToken> | null)?.signature
  const version = (decoded as Partial<DecodedToken> | null)?.version
  if ((version !== '007' && version !== '006') || !(signature instanceof Uint8Array)) {
    throw new InvalidArgument(
      'token: expected a token string or a decoded token (decodeToken or verifyToken result)',
    )
  }
  if (signature.length !== 32) {
    throw new InvalidArgument(`token.signature: expected 32 bytes, got ${signature.length}`)
  }
  return idFromSignature(version, signature)
}

function idFromSignature(version: string, signature: Uint8Array): string {
  const prefix = LABEL + version
  const input = new Uint8Array(prefix.length + signature.length)
  for (let i = 0; i < prefix.length; i++) input[i] = prefix.charCodeAt(i)
  input.set(signature, prefix.length)
  const digest = sha256(input)
  let out = ''
  let bits = 0
  let value = 0
  for (let i = 0; i < ID_BYTES; i++) {
    value = (value << 8) | digest[i]
    bits += 8
    while (bits >= 6) {
      bits -= 6
      out += BASE64URL[(value >>> bits) & 63]
    }
  }
  if (bits > 0) out += BASE64URL[(value << (6 - bits)) & 63]
  return out
}
