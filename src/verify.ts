/**
 * `verifyToken`: structure, then signature (constant time), then claims and time.
 *
 * @module
 */
import {
  InvalidArgument,
  TokenClaimMismatch,
  TokenExpired,
  TokenPrivilegeMissing,
  TokenSignatureInvalid,
  type TokenClaim,
} from './errors.js'
import {
  checkDecodeOptions,
  open007,
  readServices,
  versionError,
  type DecodeOptions,
  type Opened007,
} from './decode.js'
import { privilegeId, serviceTypeId, userIdText } from './lib/services.js'
import { signatureMatches } from './lib/sign.js'
import { quoteText, showText } from './lib/printable.js'
import { checkHex32, checkText, describe } from './lib/validate.js'
import { verify006 } from './legacy/token006.js'
import type { DecodedService, DecodedToken, DecodedToken007, ServiceType, UserId } from './types.js'

/**
 * A service the token must grant for {@link verifyToken} to pass. Only the fields given are
 * compared; a token uid of `""` (uid 0) matches any uid.
 *
 * @example
 * ```ts
 * { service: 'rtc', privilege: 'joinChannel', channelName: 'room-1', uid: 42 }
 * { service: 'rtm', privilege: 'login', userId: 'alice' }
 * ```
 */
export interface ServiceRequirement {
  service: ServiceType
  /** A privilege name of that service, or its numeric id. Omit to require only the service. */
  privilege?: string | number
  channelName?: string
  uid?: UserId
  userId?: UserId
  account?: UserId
  roomUuid?: string
  userUuid?: string
}

/**
 * What a privilege value of 0 means when a requirement checks it. The references' builders
 * default `privilegeExpire` to 0, and in the legacy 006 format 0 meant "no limit", so by default
 * (`'token'`) such a privilege lasts as long as the token itself. `'expired'` treats 0 literally:
 * the privilege ended at `issueTs`.
 */
export type ZeroPrivilegePolicy = 'token' | 'expired'

/** Options of {@link verifyToken}. */
export interface VerifyOptions extends DecodeOptions {
  /** The time to verify at. Default: now. */
  currentDate?: Date
  /**
   * Seconds of leeway for a verifier whose clock runs ahead of the issuer's: a token is expired
   * when `currentDate >= issuedAt + expire + clockTolerance`. Default 0.
   */
  clockTolerance?: number
  /** The app id the token must be for (32 hex characters, compared case-insensitively). */
  appId?: string
  /** One or more services a 007 token must grant (all must pass). Refused for 006 tokens. */
  require?: ServiceRequirement | readonly ServiceRequirement[]
  /** What a privilege value of 0 means; see {@link ZeroPrivilegePolicy}. Default `'token'`. */
  zeroPrivilege?: ZeroPrivilegePolicy
  /**
   * The channel the token must be for. For a 006 token it is required with `uid` (only their
   * CRC-32s travel in the token, and the signature covers the originals). For a 007 token it
   * requires an `rtc` service for that channel (and `uid`, when given), exactly as
   * `require: { service: 'rtc', channelName, uid }` does: `ERR_TOKEN_CLAIM` otherwise.
   */
  channelName?: string
  /**
   * The uid the token must be for; see {@link VerifyOptions.channelName}. In a 007 token an rtc
   * service for uid 0 (written `""`) admits any uid; in a 006 token see `allowAnyUid006`.
   */
  uid?: UserId
  /**
   * 006 tokens only: accept a token signed for any uid (uid 0) when `uid` is another uid.
   * Default `false`: such a token is refused with `ERR_TOKEN_CLAIM`, because a 006 signature does
   * not separate the channel name from the uid: the token for channel `room` and uid `142` signs
   * the same bytes as one for channel `room142` and any uid. Turn it on only for channel names
   * that cannot end in digits that are also a uid, or move to 007 tokens.
   */
  allowAnyUid006?: boolean
}

/** The result of {@link verifyToken}: the decoded token and which certificate matched. */
export type VerifiedToken = DecodedToken & {
  /** Index of the certificate that produced the signature (0 when one certificate was given). */
  certificateIndex: number
}

/**
 * Verifies a token offline: its envelope and structure, its signature (compared in constant
 * time) against one certificate or a list (for certificate rotation), then the app id, the
 * token's lifetime and any required services.
 *
 * @example
 * ```ts
 * const verified = verifyToken(token, [currentCertificate, previousCertificate], {
 *   appId,
 *   clockTolerance: 30,
 *   require: { service: 'rtc', privilege: 'joinChannel', channelName: 'room-1', uid: 42 },
 * })
 * console.log(verified.certificateIndex, verified.expiresAt)
 * ```
 * @throws {TokenError} with code `ERR_TOKEN_VERSION`, `ERR_TOKEN_MALFORMED`,
 *   `ERR_TOKEN_TOO_LARGE`, `ERR_TOKEN_SIGNATURE`, `ERR_TOKEN_CLAIM`, `ERR_TOKEN_EXPIRED`,
 *   `ERR_TOKEN_PRIVILEGE`, or `ERR_INVALID_ARGUMENT` for bad arguments
 */
export function verifyToken(
  token: string,
  appCertificate: string | readonly string[],
  options: VerifyOptions = {},
): VerifiedToken {
  const maxPayloadBytes = checkDecodeOptions(options)
  const certificates = checkCertificates(appCertificate)
  const nowMs = checkCurrentDate(options.currentDate)
  const toleranceMs = checkTolerance(options.clockTolerance) * 1000
  const expectedAppId =
    options.appId === undefined ? undefined : checkHex32(options.appId, 'options.appId', false)
  const requirements = checkRequirements(options.require)
  const zeroPrivilege = options.zeroPrivilege ?? 'token'
  if (zeroPrivilege !== 'token' && zeroPrivilege !== 'expired') {
    throw new InvalidArgument(
      `options.zeroPrivilege: expected 'token' or 'expired', got ${describe(zeroPrivilege)}`,
    )
  }
  if (typeof token !== 'string')
    throw new InvalidArgument(`token: expected a string, got ${describe(token)}`)

  const version = token.slice(0, 3)
  if (version === '006') {
    // A 006 token is bound to one channel and uid (checked through options.channelName and
    // options.uid); silently skipping a requirement would pass tokens the caller meant to refuse.
    if (requirements.length > 0) {
      throw new InvalidArgument(
        'options.require: applies to 007 tokens only; a 006 token is checked against options.channelName and options.uid, and its privileges are in the result',
      )
    }
    return verify006(token, certificates, {
      nowMs,
      toleranceMs,
      expectedAppId,
      channelName: options.channelName,
      uid: options.uid,
      maxPayloadBytes,
      allowAnyUid: options.allowAnyUid006 === true,
    })
  }
  if (version !== '007') throw versionError(token)

  // 007 applies channelName and uid as an rtc requirement rather than ignoring them.
  const subject = subjectRequirement(options.channelName, options.uid)
  // The signature first: an unauthenticated token costs an inflate and an HMAC, not a parse.
  const opened = open007(token, maxPayloadBytes)
  const certificateIndex = matchCertificate(certificates, opened)
  const decoded = readServices(opened).token
  const verified = decoded as DecodedToken007 & VerifiedToken
  verified.certificateIndex = certificateIndex
  checkAppId(verified, expectedAppId)
  if (nowMs >= (decoded.issueTs + decoded.expire) * 1000 + toleranceMs) {
    throw new TokenExpired(
      `token expired at ${decoded.expiresAt.toISOString()} (issued ${decoded.issuedAt.toISOString()} for ${decoded.expire} s)`,
      verified,
    )
  }
  if (subject !== undefined) checkRequirement(verified, subject, nowMs, toleranceMs, zeroPrivilege)
  for (const requirement of requirements) {
    checkRequirement(verified, requirement, nowMs, toleranceMs, zeroPrivilege)
  }
  return verified
}

function checkCertificates(value: string | readonly string[]): readonly string[] {
  if (typeof value === 'string') return [checkHex32(value, 'appCertificate', true)]
  const list = value
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidArgument(
      `appCertificate: expected a certificate (32 hexadecimal characters) or a non-empty array of them, got ${describe(value)}`,
    )
  }
  return list.map((c, i) => checkHex32(c, `appCertificate[${i}]`, true))
}

function checkCurrentDate(value: Date | undefined): number {
  if (value === undefined) return Date.now()
  const ms = value instanceof Date ? value.getTime() : NaN
  if (Number.isNaN(ms))
    throw new InvalidArgument(`options.currentDate: expected a valid Date, got ${describe(value)}`)
  return ms
}

function checkTolerance(value: number | undefined): number {
  if (value === undefined) return 0
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgument(
      `options.clockTolerance: expected a number of seconds >= 0, got ${describe(value)}`,
    )
  }
  return value
}

function checkRequirements(value: VerifyOptions['require']): readonly ServiceRequirement[] {
  if (value === undefined) return []
  const list: readonly unknown[] = Array.isArray(value) ? value : [value]
  return list.map((r, i) => {
    const path = Array.isArray(value) ? `options.require[${i}]` : 'options.require'
    if (typeof r !== 'object' || r === null)
      throw new InvalidArgument(`${path}: expected an object, got ${describe(r)}`)
    const req = r as ServiceRequirement
    if (serviceTypeId(req.service) === undefined) {
      throw new InvalidArgument(
        `${path}.service: expected a service type such as 'rtc' or 'rtm', got ${describe(req.service)}`,
      )
    }
    if (req.privilege !== undefined && privilegeKey(req) === undefined) {
      throw new InvalidArgument(
        `${path}.privilege: expected a privilege name of ${req.service} or a numeric id 0..65535, got ${describe(req.privilege)}`,
      )
    }
    return req
  })
}

/** The rtc requirement options.channelName and options.uid make for a 007 token, if any. */
function subjectRequirement(
  channelName: unknown,
  uid: UserId | undefined,
): ServiceRequirement | undefined {
  if (channelName === undefined && uid === undefined) return undefined
  const requirement: ServiceRequirement = { service: 'rtc' }
  if (channelName !== undefined)
    requirement.channelName = checkText(channelName, 'options.channelName')
  if (uid !== undefined) requirement.uid = userIdText(uid, 'options.uid')
  return requirement
}

function matchCertificate(certificates: readonly string[], opened: Opened007): number {
  const { issueTs, salt, signingInfo, signature } = opened
  for (let i = 0; i < certificates.length; i++) {
    if (signatureMatches(certificates[i], issueTs, salt, signingInfo, signature)) return i
  }
  throw new TokenSignatureInvalid(
    certificates.length === 1
      ? `token signature does not match the certificate (is it app ${showText(opened.appId)}'s certificate?)`
      : `token signature matches none of the ${certificates.length} certificates (app ${showText(opened.appId)})`,
  )
}

/** Rejects a token made for another app id (compared case-insensitively). */
export function checkAppId(token: DecodedToken, expected: string | undefined): void {
  if (expected !== undefined && token.appId.toLowerCase() !== expected.toLowerCase()) {
    throw new TokenClaimMismatch(
      `token is for app ${showText(token.appId)}, not ${expected}`,
      'appId',
      token,
    )
  }
}

/** The numeric privilege id a requirement names, or undefined when it names none. */
function privilegeKey(req: ServiceRequirement): number | undefined {
  const p = req.privilege
  if (typeof p === 'number') return Number.isInteger(p) && p >= 0 && p <= 0xffff ? p : undefined
  return typeof p === 'string' ? privilegeId(req.service, p) : undefined
}

const MATCHED_FIELDS: ReadonlyArray<readonly [keyof ServiceRequirement & TokenClaim, boolean]> = [
  ['channelName', false],
  ['uid', true],
  ['userId', true],
  ['account', true],
  ['roomUuid', false],
  ['userUuid', false],
]

function checkRequirement(
  token: DecodedToken007 & VerifiedToken,
  req: ServiceRequirement,
  nowMs: number,
  toleranceMs: number,
  zeroPrivilege: ZeroPrivilegePolicy,
): void {
  let candidates: DecodedService[] = token.services.filter((s) => s.type === req.service)
  if (candidates.length === 0) {
    throw new TokenClaimMismatch(`token has no ${req.service} service`, 'service', token)
  }
  for (const [field, isUserId] of MATCHED_FIELDS) {
    const wanted = req[field]
    if (wanted === undefined) continue
    const text = isUserId ? userIdText(wanted, `options.require.${field}`) : String(wanted)
    const kept = candidates.filter((s) => {
      const actual = (s as unknown as Record<string, unknown>)[field]
      // uid 0 (written as "") in an RTC token admits any uid.
      return actual === text || (field === 'uid' && actual === '')
    })
    if (kept.length === 0) {
      const found = candidates
        .slice(0, 4)
        .map((s) => quoteText(String((s as unknown as Record<string, unknown>)[field])))
        .join(', ')
      const more = candidates.length > 4 ? ` and ${candidates.length - 4} more` : ''
      throw new TokenClaimMismatch(
        `token's ${req.service} service is for ${field} ${found}${more}, not ${quoteText(text)}`,
        field,
        token,
      )
    }
    candidates = kept
  }
  const id = privilegeKey(req)
  if (id === undefined) return
  // Validated above: a known privilege name or a decimal id, safe to show as is.
  const name = String(req.privilege)
  let expiredAt: Date | undefined
  for (const service of candidates) {
    const seconds = privilegeValue(service, id)
    if (seconds === undefined) continue
    if (seconds === 0 && zeroPrivilege === 'token') return
    const endMs = (token.issueTs + seconds) * 1000
    if (nowMs < endMs + toleranceMs) return
    expiredAt = new Date(endMs)
  }
  throw new TokenPrivilegeMissing(
    expiredAt
      ? `token's ${req.service} privilege ${name} expired at ${expiredAt.toISOString()}`
      : `token's ${req.service} service does not grant privilege ${name}`,
    token,
  )
}

function privilegeValue(service: DecodedService, id: number): number | undefined {
  for (const [key, value] of Object.entries(service.privileges)) {
    if (privilegeId(service.type, key) === id) return value as number
  }
  return undefined
}
