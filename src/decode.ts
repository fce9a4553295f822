/**
 * `decodeToken`: reads a token without checking its signature.
 *
 * @module
 */
import { InvalidArgument, TokenMalformed, TokenTooLarge, TokenVersionError } from './errors.js'
import { decodeBase64 } from './lib/base64.js'
import { ByteReader } from './lib/bytes.js'
import { readService, servicePath } from './lib/services.js'
import { quoteText } from './lib/printable.js'
import { checkOptionKeys, checkOptionsObject, describe, readOption } from './lib/validate.js'
import { inflateZlibTransient } from './lib/zlib.js'
import { decode006 } from './legacy/token006.js'
import type { DecodedService, DecodedToken, DecodedToken007 } from './types.js'

/** Options of {@link decodeToken}. */
export interface DecodeOptions {
  /**
   * The largest inflated payload accepted, in bytes: an integer from 1 to
   * {@link MAX_PAYLOAD_BYTES_LIMIT} (16 MiB); default {@link DEFAULT_MAX_PAYLOAD_BYTES}
   * (128 KiB). A token whose payload inflates past it is refused with `ERR_TOKEN_TOO_LARGE`
   * before more memory is spent on it.
   */
  maxPayloadBytes?: number
}

/** The default of {@link DecodeOptions.maxPayloadBytes}: 128 KiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 131_072

/** The largest {@link DecodeOptions.maxPayloadBytes} accepted: 16 MiB. */
export const MAX_PAYLOAD_BYTES_LIMIT = 16_777_216

const DECODE_OPTION_KEYS = ['maxPayloadBytes'] as const

const SIGNATURE_LENGTH = 32

/** A parsed 007 token plus the exact bytes its signature covers. */
export interface Parsed007 {
  /** Owns its data: nothing in it is a view of the inflated payload. */
  token: DecodedToken007
  /** A view of the inflater's buffer: valid only until the next token is inflated. */
  signingInfo: Uint8Array
}

/**
 * Decodes a token without verifying it: an AccessToken2 (`"007…"`) or a legacy AccessToken
 * (`"006…"`); narrow the result on `version`. Use {@link verifyToken} to trust what it says.
 *
 * The envelope is checked strictly: canonical standard base64 with padding, exactly one zlib
 * stream with nothing after it, an inflated size within `maxPayloadBytes`, every length within
 * the payload, and no bytes after the last service (unless an unknown service type was met,
 * which `unknownServiceType` reports).
 *
 * @example
 * ```ts
 * const decoded = decodeToken(token)
 * if (decoded.version === '007') console.log(decoded.appId, decoded.expiresAt, decoded.services)
 * ```
 * @throws {TokenError} `ERR_TOKEN_VERSION`, `ERR_TOKEN_MALFORMED` or `ERR_TOKEN_TOO_LARGE`;
 *   `ERR_INVALID_ARGUMENT` when `token` is not a string or an option is invalid
 */
export function decodeToken(token: string, options?: DecodeOptions): DecodedToken {
  const maxPayloadBytes = checkDecodeOptions(options)
  if (typeof token !== 'string')
    throw new InvalidArgument(`token: expected a string, got ${describe(token)}`)
  const version = token.slice(0, 3)
  if (version === '007') return parse007(token, maxPayloadBytes).token
  if (version === '006') return decode006(token, maxPayloadBytes)
  throw versionError(token)
}

/** The maxPayloadBytes an options object of decodeToken asks for, validated. */
export function checkDecodeOptions(options: unknown): number {
  const object = checkOptionsObject(options, 'options')
  if (object === undefined) return DEFAULT_MAX_PAYLOAD_BYTES
  checkOptionKeys(object, 'options', DECODE_OPTION_KEYS)
  return checkMaxPayloadBytes(readOption(object, 'maxPayloadBytes', 'options'))
}

/** options.maxPayloadBytes: undefined (the default) or an integer 1..MAX_PAYLOAD_BYTES_LIMIT. */
export function checkMaxPayloadBytes(max: unknown): number {
  if (max === undefined) return DEFAULT_MAX_PAYLOAD_BYTES
  if (
    typeof max !== 'number' ||
    !Number.isInteger(max) ||
    max < 1 ||
    max > MAX_PAYLOAD_BYTES_LIMIT
  ) {
    throw new InvalidArgument(
      `options.maxPayloadBytes: expected an integer 1..${MAX_PAYLOAD_BYTES_LIMIT} (bytes), got ${describe(max)}`,
    )
  }
  return max
}

/** The error for a token that does not start with a version this library reads. */
export function versionError(token: string): TokenVersionError {
  const shown = quoteText(token.slice(0, 3))
  return new TokenVersionError(
    token.length === 0
      ? 'token is empty'
      : `token starts with ${shown}; expected "007" (AccessToken2) or "006" (legacy AccessToken)`,
  )
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
  return readServices(open007(token, maxPayloadBytes))
}

/**
 * Decodes the envelope of a 007 token and reads its header (signature, app id, times, salt),
 * leaving the services for {@link readServices}: a verifier checks the signature in between, so
 * that an unauthenticated token costs an inflate and one HMAC, never a parse of its services.
 */
export function open007(token: string, maxPayloadBytes: number): Opened007 {
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
  const compressed = decodeBase64(token, 3)
  if (typeof compressed === 'string')
    throw new TokenMalformed(`token body is not canonical base64: ${compressed}`)
  const payload = inflateZlibTransient(compressed, maxPayloadBytes)
  const reader = new ByteReader(payload)
  const signature = reader.bytes('signature')
  if (signature.length !== SIGNATURE_LENGTH) {
    throw new TokenMalformed(
      `token signature is ${signature.length} bytes; expected ${SIGNATURE_LENGTH}`,
    )
  }
  const signingInfo = payload.subarray(reader.pos)
  const appId = reader.string('appId')
  const issueTs = reader.u32('issueTs')
  const expire = reader.u32('expire')
  const salt = reader.u32('salt')
  return { appId, issueTs, expire, salt, signature, signingInfo, reader }
}

/** Reads the services after an opened header and makes the decoded token (which owns its data). */
export function readServices(opened: Opened007): Parsed007 {
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
  return { token, signingInfo: opened.signingInfo }
}
