// Guards against the classic mistakes with Agora builders (issue trackers of the references are
// full of them): absolute timestamps or milliseconds where seconds-from-now are expected, a role
// that silently becomes a join-only token, a missing value that turned into the account "" or
// "undefined", the uid "0" from a query string, and an upper-cased certificate.
// They sit in the builders and the typed API; the raw buildToken accepts whatever the format can
// carry. With `strict` false only type and range checks remain (agora-token's acceptance).
import { InvalidArgument } from '../errors.js'
import { U32_MAX, checkHex32, checkText, describe, invalid } from '../lib/validate.js'

/** 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z in Unix seconds. */
const ABSOLUTE_FROM = 946_684_800
const ABSOLUTE_TO = 4_102_444_800

/** The relative-seconds convention, as said in every hint. */
const CONVENTION = 'pass seconds from now, e.g. 3600'

/** 24 hours: Agora caps a token's useful life there, so a longer lifetime is rarely meant. */
export const DAY_SECONDS = 86_400

/**
 * Whether a lifetime looks like milliseconds: over 24 hours and a whole number of thousands
 * (3_600_000 for an hour gives 41.7 days).
 */
export function looksLikeMilliseconds(seconds: number): boolean {
  return seconds > DAY_SECONDS && seconds % 1000 === 0
}

/** The hint for a lifetime that looks like milliseconds. */
export function millisecondsHint(path: string, value: number): string {
  return (
    `${path} ${value} looks like milliseconds (as seconds it is ${days(value)}, and Agora caps ` +
    `a token's useful life at 24 h); pass seconds, ${value / 1000}`
  )
}

function days(seconds: number): string {
  return `${Math.round((seconds / DAY_SECONDS) * 10) / 10} days`
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

function whenFromNow(seconds: number, nowSeconds: number | undefined): string {
  if (nowSeconds === undefined) return ''
  const delta = Math.round(seconds - nowSeconds)
  return delta > 0 ? ` (that time is ${delta} seconds from now)` : ' (that time is already past)'
}

/**
 * A lifetime in seconds relative to the token's issue time: an integer 0..4294967295. In strict
 * mode a value between 2000-01-01 and 2100-01-01 as Unix seconds is refused as a probable
 * absolute time, and a value over 24 h that is a multiple of 1,000 as probable milliseconds; a
 * value beyond uint32 gets a hint when it looks like milliseconds.
 *
 * @param nowSeconds the build's issueTs, to show the relative value that was probably meant
 */
export function checkSeconds(
  value: unknown,
  path: string,
  strict: boolean,
  nowSeconds?: number,
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    if (value <= U32_MAX) {
      if (strict && value >= ABSOLUTE_FROM && value < ABSOLUTE_TO) {
        throw new InvalidArgument(
          `${path} ${value} looks like an absolute time (${isoSeconds(value)}); ${CONVENTION}` +
            whenFromNow(value, nowSeconds),
        )
      }
      if (strict && looksLikeMilliseconds(value)) {
        throw new InvalidArgument(millisecondsHint(path, value))
      }
      return value
    }
    if (value >= ABSOLUTE_FROM * 1000 && value < ABSOLUTE_TO * 1000) {
      throw new InvalidArgument(
        `${path} ${value} looks like an absolute time in milliseconds ` +
          `(${isoSeconds(value / 1000)}); ${CONVENTION}${whenFromNow(value / 1000, nowSeconds)}`,
      )
    }
    if (value % 1000 === 0 && value / 1000 <= U32_MAX) {
      throw new InvalidArgument(
        `${path}: expected seconds, an integer 0..${U32_MAX}, got ${value}; ` +
          `if that is milliseconds, pass ${value / 1000}`,
      )
    }
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    throw new InvalidArgument(
      `${path}: expected a number of seconds, got the string ${JSON.stringify(value)}; ` +
        `pass the number ${value}`,
    )
  }
  return invalid(path, `seconds from now, an integer 0..${U32_MAX}`, value)
}

/**
 * Whether `value` is what a missing environment variable or field often turns into on its way to
 * a builder. (Two comparisons: a Set lookup hashes the string, which a fresh channel name or
 * account has not had yet.)
 */
function isMissingText(value: string): boolean {
  return value === 'undefined' || value === 'null'
}

function missingText(value: string, path: string): never {
  throw new InvalidArgument(
    `${path}: got the string ${JSON.stringify(value)}, which is what a missing value becomes ` +
      'when it is turned into text; pass the real value',
  )
}

/** What an empty RTC uid means; with it, {@link checkIdentity} also refuses the string "0". */
export const ANY_UID = 'any uid'
/** What an empty RTM2 user means in a permissions token (agora-token's own tests build one). */
export const WILDCARD_USER = 'a wildcard user'

/**
 * A user identity (uid, account, userId, userUuid) as the text the token carries: a string, or
 * an integer 0..4294967295 written in decimal with 0 written as "" (docs/format.md). In strict mode
 * the strings "", "undefined" and "null" are refused, and so is the number 0 unless `zeroMeans`
 * says what an empty identity means for this service ({@link ANY_UID} for RTC,
 * {@link WILDCARD_USER} for an RTM2 permissions token). For RTC, strict mode also refuses the
 * string "0": it makes a token for the account "0", while the number 0 means any uid, and "0" is
 * what `searchParams.get('uid')` returns.
 */
export function checkIdentity(
  value: unknown,
  path: string,
  strict: boolean,
  zeroMeans?: string,
): string {
  if (typeof value === 'string') {
    // The raw layer checks this too, but under its service path; here it names the argument.
    checkText(value, path)
    if (!strict) return value
    if (value === '') {
      const zero = zeroMeans ? `; for ${zeroMeans} pass the number 0` : ''
      throw new InvalidArgument(
        `${path}: got the empty string (is the variable that should hold it set?)${zero}`,
      )
    }
    if (isMissingText(value)) missingText(value, path)
    if (value === '0' && zeroMeans === ANY_UID) {
      throw new InvalidArgument(
        `${path}: got the string "0", which makes a token for the account "0", not for any uid ` +
          '(a query string or form field gives strings): pass the number 0 for any uid, or ' +
          'convert a numeric uid with Number()',
      )
    }
    return value
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= U32_MAX) {
    if (value !== 0) return String(value)
    if (!strict || zeroMeans) return ''
    const expected = `a non-empty string or an integer 1..${U32_MAX}`
    return invalid(path, `${expected} (0 would be written as an empty id)`, value)
  }
  const numbers = strict && !zeroMeans ? `1..${U32_MAX}` : `0..${U32_MAX}`
  return invalid(path, `a${strict ? ' non-empty' : ''} string or an integer ${numbers}`, value)
}

/** A name such as a channel or a room: any string, except in strict mode "undefined" and "null". */
export function checkName(value: unknown, path: string, strict: boolean): string {
  checkText(value, path)
  if (strict && isMissingText(value as string)) missingText(value as string, path)
  return value as string
}

/**
 * An RTC role: RtcRole.PUBLISHER (1) or RtcRole.SUBSCRIBER (2). agora-token turns any other value
 * into a join-only token without a word; strict mode refuses it. Returns whether the role
 * publishes.
 */
export function checkRtcRole(value: unknown, path: string, strict: boolean): boolean {
  if (value === 1 || value === 2) return value === 1
  if (!strict && typeof value === 'number' && Number.isInteger(value)) return false
  const hint =
    typeof value === 'string' && /^(publisher|subscriber)$/i.test(value)
      ? `; use RtcRole.${value.toUpperCase()}`
      : ''
  throw new InvalidArgument(
    `${path}: expected RtcRole.PUBLISHER (1) or RtcRole.SUBSCRIBER (2), got ${describe(value)}${hint}`,
  )
}

const UPPER_HEX = /[A-F]/
/** The last certificate {@link checkApp} found free of upper-case letters (a server has one). */
let lastLowerCaseCertificate: unknown

/**
 * appId and appCertificate, checked before anything else so that an unset environment variable
 * is reported as such. The raw layer's check, reused; in strict mode a certificate with upper-case
 * letters is refused too: Agora's certificates are lower-case, and the certificate is signed as
 * ASCII text, so an upper-cased one signs tokens that Agora rejects.
 */
export function checkApp(appId: unknown, appCertificate: unknown, strict: boolean): void {
  checkHex32(appId, 'appId', false)
  checkHex32(appCertificate, 'appCertificate', true)
  if (!strict || appCertificate === lastLowerCaseCertificate) return
  if (UPPER_HEX.test(appCertificate as string)) {
    throw new InvalidArgument(
      'appCertificate: has upper-case letters; Agora certificates are lower-case hex and are ' +
        'signed as ASCII text, so Agora rejects a token signed with an upper-cased one: pass ' +
        'appCertificate.toLowerCase()',
    )
  }
  lastLowerCaseCertificate = appCertificate
}
