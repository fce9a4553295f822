/**
 * Packing and signing an AccessToken2 ("007"): `buildToken`, the raw, format-exact builder that
 * every drop-in builder and typed function ends in. The format: docs/format.md.
 *
 * @module
 */
import { InvalidArgument, TokenTooLarge } from '../../errors.js'
import { encodeBase64 } from '../../lib/base64.js'
import { ByteWriter } from '../../lib/bytes.js'
import { nowSeconds } from '../../lib/clock.js'
import { randomSalt } from '../../lib/random.js'
import { servicePath, serviceTypeOf, writeService } from '../../lib/services.js'
import { signInto } from '../../lib/sign.js'
import { U16_MAX, U32_MAX, checkHex32, checkUint, invalid } from '../../lib/validate.js'
import { deflateZlibTransient } from '../../lib/zlib.js'
import type { Service } from '../../types.js'

/** Input of {@link buildToken}. */
export interface BuildTokenInput {
  /** The app id: 32 hexadecimal characters. */
  appId: string
  /** The app certificate: 32 hexadecimal characters. Used as ASCII text, as by every reference. */
  appCertificate: string
  /** Token lifetime in seconds after `issueTs` (uint32). */
  expire: number
  /** At least one service; they are written sorted by type id, stable for equal types. */
  services: readonly Service[]
  /** Unix seconds (uint32). Default: the current time, truncated to whole seconds. */
  issueTs?: number
  /** uint32. Default: uniformly random in 1..99,999,999 from `crypto.getRandomValues`. */
  salt?: number
  /**
   * The largest payload (the token's inflated bytes) to build, 1..4294967295. Default 131072
   * (128 KiB), the cap `verifyToken` and `decodeToken` apply by default, so that every token
   * built with the default is one they accept. Raise it together with the verifier's
   * `maxPayloadBytes`.
   */
  maxPayloadBytes?: number
}

/** The default of {@link BuildTokenInput.maxPayloadBytes}: the verifiers' default cap, 128 KiB. */
export const DEFAULT_MAX_BUILD_PAYLOAD_BYTES = 131_072

const SIGNATURE_LENGTH = 32

/**
 * Builds an AccessToken2 ("007") token, byte for byte the one the Python, Java, C++, PHP and Ruby
 * references produce for the same inputs, `issueTs` and `salt`.
 *
 * This is the raw layer: it accepts every value the format can carry (any uint32 `expire`,
 * privilege value, `issueTs` or `salt`) and refuses only what the format cannot carry, with a
 * `TokenError` of code `ERR_INVALID_ARGUMENT` naming the field. The builders
 * (`RtcTokenBuilder`, …) add guards against common mistakes on top of it.
 *
 * @example
 * ```ts
 * const token = buildToken({
 *   appId, appCertificate,
 *   expire: 3600,
 *   services: [
 *     { type: 'rtc', channelName: 'room-1', uid: 42, privileges: { joinChannel: 3600, publishAudioStream: 3600 } },
 *     { type: 'rtm', userId: 'alice', privileges: { login: 3600 } },
 *   ],
 * })
 * ```
 * @throws {InvalidArgument} when an input cannot be represented in the format
 * @throws {TokenTooLarge} (`ERR_TOKEN_TOO_LARGE`) when the payload is over `maxPayloadBytes`
 */
export function buildToken(input: BuildTokenInput): string {
  if (typeof input !== 'object' || input === null) invalid('buildToken input', 'an object', input)
  const appId = checkHex32(input.appId, 'appId', false)
  const certificate = checkHex32(input.appCertificate, 'appCertificate', true)
  const expire = checkUint(input.expire, U32_MAX, 'expire')
  const issueTs =
    input.issueTs === undefined ? nowSeconds() : checkUint(input.issueTs, U32_MAX, 'issueTs')
  const salt = input.salt === undefined ? randomSalt() : checkUint(input.salt, U32_MAX, 'salt')
  const maxPayloadBytes =
    input.maxPayloadBytes === undefined
      ? DEFAULT_MAX_BUILD_PAYLOAD_BYTES
      : checkPositive(input.maxPayloadBytes, 'maxPayloadBytes')
  const services = input.services
  if (!Array.isArray(services) || services.length === 0) {
    invalid('services', 'a non-empty array of services', services)
  }
  if (services.length > U16_MAX) {
    throw new InvalidArgument(
      `services: has ${services.length} entries; the format allows at most 65535`,
    )
  }

  // The payload is only read while this call runs (signed in place, deflated, encoded), so its
  // writer is kept for the next build; a build started while this one runs (a getter on a
  // service can call buildToken) finds none kept and makes its own.
  const w = spareWriter ?? new ByteWriter(256)
  spareWriter = undefined
  w.clear()
  // Room for the signature field, filled in once the signing info after it is complete.
  w.u16(SIGNATURE_LENGTH).skip(SIGNATURE_LENGTH)
  // checkHex32 has established that the app id is 32 ASCII characters.
  w.asciiText(appId)
  w.u32(issueTs).u32(expire).u32(salt).u16(services.length)
  if (services.length === 1) writeService(w, services[0], servicePath(0))
  else if (services.length === 2) {
    // Two services (RTC + RTM, the usual pair) in type order without sorting an index list.
    const first = serviceTypeOf(services[1]) < serviceTypeOf(services[0]) ? 1 : 0
    writeService(w, services[first], servicePath(first))
    writeService(w, services[1 - first], servicePath(1 - first))
  } else
    for (const index of sortedByType(services)) writeService(w, services[index], servicePath(index))

  const content = w.result()
  if (content.length > maxPayloadBytes) {
    const cap =
      input.maxPayloadBytes === undefined
        ? `the default ${maxPayloadBytes}, which verifyToken and decodeToken also apply by default`
        : `${maxPayloadBytes}`
    throw new TokenTooLarge(
      `token payload is ${content.length} bytes, more than maxPayloadBytes (${cap}); pass a ` +
        'larger maxPayloadBytes to buildToken and to the verifier, or carry fewer or shorter values',
    )
  }
  signInto(certificate, issueTs, salt, content, content, 2, 2 + SIGNATURE_LENGTH)
  const token = '007' + encodeBase64(deflateZlibTransient(content))
  if (w.capacity <= SPARE_WRITER_MAX_BYTES) spareWriter = w
  return token
}

/** The payload writer of the last completed build, for the next one (see buildToken). */
let spareWriter: ByteWriter | undefined
/** A writer grown beyond this (a large RTM2 token) is not kept, so that its memory is freed. */
const SPARE_WRITER_MAX_BYTES = 16_384

function checkPositive(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > U32_MAX) {
    invalid(path, `an integer 1..${U32_MAX}`, value)
  }
  return value
}

/** Indices of `services` stable-sorted by service type id (docs/format.md: services sorted by type). */
function sortedByType(services: readonly unknown[]): number[] {
  const types = services.map(serviceTypeOf)
  return services.map((_, i) => i).sort((a, b) => types[a] - types[b])
}
