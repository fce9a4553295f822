/**
 * `decodeToken`: reads a token without checking its signature.
 *
 * @module
 */
import { InvalidArgument, TokenVersionError } from './errors.js'
import { decode006 } from './format/006/parse.js'
import { parse007 } from './format/007/parse.js'
import { quoteText } from './lib/printable.js'
import {
  checkOptionKeys,
  checkOptionsObject,
  describe,
  invalid,
  readOption,
} from './lib/validate.js'
import type { DecodedToken, DecodedToken006, DecodedToken007, TokenVersion } from './types.js'

/** Options of {@link decodeToken}. */
export interface DecodeOptions {
  /**
   * The largest inflated payload accepted, in bytes: an integer from 1 to
   * {@link MAX_PAYLOAD_BYTES_LIMIT} (16 MiB); default {@link DEFAULT_MAX_PAYLOAD_BYTES}
   * (128 KiB). A token whose payload inflates past it is refused with `ERR_TOKEN_TOO_LARGE`
   * before more memory is spent on it.
   */
  maxPayloadBytes?: number
  /**
   * The one version to accept: `'007'` or `'006'`. A token of the other version is refused with
   * `ERR_TOKEN_VERSION`, and the result is typed as that version (`DecodedToken007` or
   * `DecodedToken006`), so a caller that only handles one format needs no narrowing or cast.
   * Default: either version, typed as the union {@link DecodedToken}.
   */
  version?: TokenVersion
}

/** The options of {@link decodeToken} after their check. */
export interface CheckedDecodeOptions {
  maxPayloadBytes: number
  version: TokenVersion | undefined
}

/** The default of {@link DecodeOptions.maxPayloadBytes}: 128 KiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 131_072

/** The largest {@link DecodeOptions.maxPayloadBytes} accepted: 16 MiB. */
export const MAX_PAYLOAD_BYTES_LIMIT = 16_777_216

const DECODE_OPTION_KEYS = ['maxPayloadBytes', 'version'] as const

/**
 * Decodes a token without verifying it: an AccessToken2 (`"007…"`) or a legacy AccessToken
 * (`"006…"`); narrow the result on `version`, or pass `{ version: '007' }` to accept only that
 * version and get its type. Use {@link verifyToken} to trust what it says.
 *
 * The envelope is checked strictly: canonical standard base64 with padding, exactly one zlib
 * stream with nothing after it, an inflated size within `maxPayloadBytes`, every length within
 * the payload, and no bytes after the last service (unless an unknown service type was met,
 * which `unknownServiceType` reports).
 *
 * @example
 * ```ts
 * const decoded = decodeToken(token)
 * console.log(decoded.appId, decoded.expiresAt)
 * if (decoded.version === '007') console.log(decoded.services)
 * const only007 = decodeToken(token, { version: '007' }) // DecodedToken007
 * ```
 * @throws {TokenError} `ERR_TOKEN_VERSION`, `ERR_TOKEN_MALFORMED` or `ERR_TOKEN_TOO_LARGE`;
 *   `ERR_INVALID_ARGUMENT` when `token` is not a string, an option is invalid, or `options` has a
 *   key that is not an option of decodeToken (nothing is ignored). Nothing but a TokenError.
 */
export function decodeToken(
  token: string,
  options: DecodeOptions & { version: '007' },
): DecodedToken007
/** {@link decodeToken} of a 006 token only: typed as {@link DecodedToken006}. */
export function decodeToken(
  token: string,
  options: DecodeOptions & { version: '006' },
): DecodedToken006
/** {@link decodeToken} of either version: narrow the result on `version`. */
export function decodeToken(token: string, options?: DecodeOptions): DecodedToken
export function decodeToken(token: string, options?: DecodeOptions): DecodedToken {
  const checked = checkDecodeOptions(options)
  const version = tokenVersion(token, checked.version)
  return version === '007'
    ? parse007(token, checked.maxPayloadBytes).token
    : decode006(token, checked.maxPayloadBytes)
}

/** The options of decodeToken, validated. */
export function checkDecodeOptions(options: unknown): CheckedDecodeOptions {
  const object = checkOptionsObject(options, 'options')
  if (object === undefined)
    return { maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES, version: undefined }
  checkOptionKeys(object, 'options', DECODE_OPTION_KEYS)
  return {
    maxPayloadBytes: checkMaxPayloadBytes(readOption(object, 'maxPayloadBytes', 'options')),
    version: checkVersionOption(readOption(object, 'version', 'options')),
  }
}

/** options.version: undefined (either version), '007' or '006'. */
export function checkVersionOption(value: unknown): TokenVersion | undefined {
  if (value === undefined || value === '007' || value === '006') return value
  return invalid('options.version', "'007' or '006'", value)
}

/**
 * The version of a token (a string, checked here), which must be `wanted` when one is asked for.
 *
 * @throws {TokenError} `ERR_INVALID_ARGUMENT` for a token that is not a string, `ERR_TOKEN_VERSION`
 */
export function tokenVersion(token: unknown, wanted: TokenVersion | undefined): TokenVersion {
  if (typeof token !== 'string')
    throw new InvalidArgument(`token: expected a string, got ${describe(token)}`)
  const prefix = token.slice(0, 3)
  if (prefix !== '007' && prefix !== '006') throw versionError(token)
  if (wanted !== undefined && prefix !== wanted) {
    throw new TokenVersionError(
      `token is a ${prefix} token; options.version asks for ${wanted} only`,
    )
  }
  return prefix
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
