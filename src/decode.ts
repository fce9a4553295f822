/**
 * `decodeToken`: reads a token without checking its signature.
 *
 * @module
 */
import { InvalidArgument, TokenVersionError } from './errors.js'
import { decode006 } from './format/006/parse.js'
import { parse007 } from './format/007/parse.js'
import { quoteText } from './lib/printable.js'
import { checkOptionKeys, checkOptionsObject, describe, readOption } from './lib/validate.js'
import type { DecodedToken } from './types.js'

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
