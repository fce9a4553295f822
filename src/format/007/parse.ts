// AccessToken2 ("007") envelope and payload (docs/format.md): canonical base64 after "007",
// exactly one zlib stream, then the signature, the signed header and the services.
import { TokenMalformed, TokenTooLarge } from '../../errors.js'
import { decodeBase64Transient } from '../../lib/base64.js'
import { ByteReader, LastString } from '../../lib/bytes.js'
import { readService, servicePath } from '../../lib/services.js'
import { inflateView } from '../../lib/zlib/inflate.js'
import type { DecodedService, DecodedToken007 } from '../../types.js'

const SIGNATURE_LENGTH = 32

/**
 * Decodes a token's base64 from `start` on: the bytes, or why the text is not canonical base64.
 * `decodeBase64`, or a decoder that takes exactly its decisions. The bytes are only inflated,
 * never kept, so they may be a buffer the decoder reuses (`decodeBase64Transient`).
 */
export type BodyDecoder = (text: string, start: number) => Uint8Array | string

/** The app id of the last token opened. */
const lastAppId = new LastString()

/** A parsed 007 token plus the exact bytes its signature covers. */
export interface Parsed007 {
  /** Owns its data: nothing in it is a view of the inflated payload. */
  token: DecodedToken007
  /** A view of the inflater's buffer: valid only until the next token is inflated. */
  signingInfo: Uint8Array
}

/**
 * The signed header of a 007 payload, read without the services: all that checking the signature
 * needs. Nothing after it has been parsed yet.
 */
export interface Opened007 {
  appId: string
  issueTs: number
  expire: number
  salt: number
  /** A view of the inflater's buffer: valid only until the next token is inflated. */
  signature: Uint8Array
  /** A view of the inflater's buffer: valid only until the next token is inflated. */
  signingInfo: Uint8Array
  /** Positioned at the service count. */
  reader: ByteReader
}

/** Decodes the envelope and payload of a 007 token. */
export function parse007(token: string, maxPayloadBytes: number): Parsed007 {
  const opened = open007(token, maxPayloadBytes)
  return { token: readServices(opened), signingInfo: opened.signingInfo }
}

/**
 * Decodes the envelope of a 007 token and reads its header (signature, app id, times, salt),
 * leaving the services for {@link readServices}: a verifier checks the signature in between, so
 * that an unauthenticated token costs an inflate and one HMAC, never a parse of its services.
 *
 * @param decodeBody the base64 decoder: the verifier passes one that lets the runtime decode long
 *   tokens; decoding alone stays pure, so that the decoder (and the client that carries it) never
 *   reaches for a Node module
 */
export function open007(
  token: string,
  maxPayloadBytes: number,
  decodeBody: BodyDecoder = decodeBase64Transient,
): Opened007 {
  // A zlib stream is at most a few bytes per 16 KiB longer than its output; anything longer than
  // this bound cannot inflate within the limit (or is padded with empty blocks), so it is
  // refused before any decoding work.
  const maxChars =
    3 + 4 * Math.ceil((maxPayloadBytes + 64 + 5 * Math.ceil(maxPayloadBytes / 16384)) / 3)
  if (token.length > maxChars) {
    throw new TokenTooLarge(
      `token is ${token.length} characters long; with maxPayloadBytes ${maxPayloadBytes} a token has at most ${maxChars}`,
    )
  }
  const compressed = decodeBody(token, 3)
  if (typeof compressed === 'string')
    throw new TokenMalformed(`token body is not canonical base64: ${compressed}`)
  const payload = inflateView(compressed, maxPayloadBytes)
  const reader = new ByteReader(payload)
  const signature = reader.bytes('signature')
  if (signature.length !== SIGNATURE_LENGTH) {
    throw new TokenMalformed(
      `token signature is ${signature.length} bytes; expected ${SIGNATURE_LENGTH}`,
    )
  }
  const signingInfo = payload.subarray(reader.pos)
  const appId = reader.stringOrLast('appId', lastAppId)
  const issueTs = reader.u32('issueTs')
  const expire = reader.u32('expire')
  const salt = reader.u32('salt')
  return { appId, issueTs, expire, salt, signature, signingInfo, reader }
}

/** Reads the services after an opened header and makes the decoded token (which owns its data). */
export function readServices(opened: Opened007): DecodedToken007 {
  const { reader: r, appId, issueTs, expire, salt } = opened
  const count = r.u16('service count')
  const services: DecodedService[] = []
  let unknownServiceType: number | undefined
  for (let i = 0; i < count; i++) {
    const path = servicePath(i)
    const type = r.u16(path, '.type')
    const service = readService(r, type, path)
    if (service === undefined) {
      // docs/format.md: an unknown service cannot be skipped; the rest is opaque but signed.
      unknownServiceType = type
      break
    }
    services.push(service)
  }
  if (unknownServiceType === undefined && r.remaining > 0) {
    throw new TokenMalformed(`token payload has ${r.remaining} bytes after its last service`)
  }
  const token: DecodedToken007 = {
    version: '007',
    appId,
    issueTs,
    expire,
    salt,
    issuedAt: new Date(issueTs * 1000),
    expiresAt: new Date((issueTs + expire) * 1000),
    services,
    signature: opened.signature.slice(),
  }
  if (unknownServiceType !== undefined) token.unknownServiceType = unknownServiceType
  return token
}
